import { useEffect } from 'react';
import { AlertTriangle, X } from 'lucide-react';
import type { Notice } from './conversation-state.ts';

/** Toasts for server errors and local problems; each fades after 8 s. */
export function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss(id: number): void }) {
  useEffect(() => {
    const timers = notices.map((n) => setTimeout(() => onDismiss(n.id), 8000));
    return () => timers.forEach(clearTimeout);
  }, [notices, onDismiss]);
  return (
    <div className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} role="status" className="pointer-events-auto flex items-start gap-2 rounded-lg border border-red-500/30 bg-popover px-3 py-2.5 text-sm text-popover-foreground shadow-lg" data-testid="notice">
          <AlertTriangle className="mt-0.5 size-4 shrink-0 text-red-400" />
          <div className="min-w-0 flex-1">
            <div className="font-mono text-[11px] text-muted-foreground">{n.code}</div>
            <div className="break-words">{n.message}</div>
          </div>
          <button type="button" className="text-muted-foreground hover:text-foreground" onClick={() => onDismiss(n.id)} aria-label="dismiss">
            <X className="size-4" />
          </button>
        </div>
      ))}
    </div>
  );
}
