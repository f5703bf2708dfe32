import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault } from './fault.ts';
import { StandinHost } from './standin-host.ts';

export interface StandinStats {
  /** Every HTTP request received, control routes excluded. */
  requests: number;
  /** Requests on the work routes (transcribe, synthesise, chat, embed). */
  workRequests: number;
  faultsInjected: number;
  inFlight: number;
  [extra: string]: number;
}

export interface RunningStandin {
  url: string;
  port: number;
  close(): Promise<void>;
  setFault(f: Fault | null): void;
  stats(): StandinStats;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  path: string;
  /** Aborts when the client closes the connection before the response is complete. */
  signal: AbortSignal;
  /** Extra latency asked for by a `slow` fault. */
  extraMs: number;
  /**
   * performance.now() when the request arrived. Configured latencies run from here (or from
   * when a one-at-a-time server becomes free), so parsing and decoding happen inside them, as
   * they do inside a real server's processing time.
   */
  arrivedAt: number;
  /** The request as read up front, when the spec records requests (`recordBodies`). */
  received?: ReceivedRequest;
}

/** A request as received, for test servers that record what a client sent. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface StandinSpec {
  name: string;
  host?: string | undefined;
  port?: number | undefined;
  isWorkRoute(method: string, path: string): boolean;
  /** Writes an error response in the server's own shape (used for `status` faults and crashes). */
  errorResponse(res: ServerResponse, status: number, path: string, message: string): void;
  handle(ctx: RequestContext): Promise<void>;
  /** `POST /__standin/mode`: server-specific switches (JSON object). */
  setMode?(body: Record<string, unknown>): void;
  extraStats?(): Record<string, number>;
  onClose?(): Promise<void>;
  /**
   * Write like cpp-httplib (whisper-server, llama-server): no TCP_NODELAY, and the headers and
   * the body of a response in separate writes. On a reused keep-alive connection Nagle then holds
   * the body until the client's delayed ACK of the headers: ~40 ms per small response on Linux
   * loopback (a fresh connection is quick-ACKed and does not stall).
   */
  nagle?: boolean | undefined;
  /** Reads every non-control request body before faults apply and reports it (test recorders). */
  recordBodies?(received: ReceivedRequest): void;
}

/** Runs an HTTP stand-in: fault injection, control routes, connection tracking, clean close. */
export async function serveStandin(spec: StandinSpec): Promise<RunningStandin> {
  return new StandinHost(spec).start();
}
