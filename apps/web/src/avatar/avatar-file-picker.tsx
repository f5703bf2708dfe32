import { useCallback, useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';

export interface AvatarFilePickerProps {
  /** receives an object URL for the chosen file; the previous one is revoked when a new one is chosen */
  onModelUrl: (url: string) => void;
  /** optional content (e.g. the AvatarCanvas) that becomes the drop zone */
  children?: ReactNode;
  className?: string;
  labels?: { button?: string; drop?: string; invalid?: string };
}

const ACCEPTED = /\.(vrm|glb)$/i;

/** Returns an error message for files that are not .vrm/.glb, or null. */
export function checkAvatarFile(
  file: { name: string; size: number },
  invalid = 'Please choose a .vrm or .glb file.',
): string | null {
  if (!ACCEPTED.test(file.name)) return invalid;
  if (file.size === 0) return invalid;
  return null;
}

/** The chosen file as an object URL (the previous one revoked), or the reason it was refused. */
function useAvatarFile(onModelUrl: (url: string) => void, invalid: string | undefined) {
  const [message, setMessage] = useState<string | null>(null);
  const lastUrl = useRef<string | null>(null);
  useEffect(
    () => () => {
      if (lastUrl.current) URL.revokeObjectURL(lastUrl.current);
    },
    [],
  );
  const take = useCallback(
    (file: File | undefined) => {
      if (!file) return;
      const problem = checkAvatarFile(file, invalid);
      setMessage(problem);
      if (problem) return;
      if (lastUrl.current) URL.revokeObjectURL(lastUrl.current);
      const url = URL.createObjectURL(file);
      lastUrl.current = url;
      onModelUrl(url);
    },
    [onModelUrl, invalid],
  );
  return { message, take };
}

/** The file button, its hidden input, and the refusal message. */
function FileControls({ take, message, label }: { take: (file: File | undefined) => void; message: string | null; label: string }) {
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => inputRef.current?.click()} style={{ fontSize: 12 }} data-testid="avatar-file-button">
        {label}
      </button>
      <input
        ref={inputRef}
        type="file"
        accept=".vrm,.glb"
        hidden
        data-testid="avatar-file-input"
        onChange={(e) => {
          take(e.target.files?.[0]);
          e.target.value = '';
        }}
      />
      {message && (
        <span role="alert" style={{ fontSize: 12, background: 'rgba(0,0,0,0.6)', color: 'white', padding: '2px 6px', borderRadius: 4 }}>
          {message}
        </span>
      )}
    </>
  );
}

const OVERLAY_STYLE = { position: 'absolute', inset: 0, display: 'grid', placeItems: 'center', pointerEvents: 'none', background: 'rgba(0,0,0,0.25)', color: 'white' } as const;

/** "Load your own .vrm": a file button plus a drag-and-drop zone around its children. */
export function AvatarFilePicker({ onModelUrl, children, className, labels }: AvatarFilePickerProps) {
  const [dragging, setDragging] = useState(false);
  const { message, take } = useAvatarFile(onModelUrl, labels?.invalid);
  const controls = <FileControls take={take} message={message} label={labels?.button ?? 'Load your own .vrm'} />;
  const dropHandlers = {
    onDragOver: (e: DragEvent<HTMLElement>) => {
      e.preventDefault();
      setDragging(true);
    },
    onDragLeave: () => setDragging(false),
    onDrop: (e: DragEvent<HTMLElement>) => {
      e.preventDefault();
      setDragging(false);
      take(e.dataTransfer.files[0]);
    },
  };
  const outline = dragging ? '2px dashed currentColor' : undefined;

  // Without children: an inline button (that also accepts a dropped file).
  if (children === undefined) {
    return (
      <span className={className} style={{ display: 'inline-flex', gap: 6, alignItems: 'center', outline }} {...dropHandlers}>
        {controls}
      </span>
    );
  }
  // With children (e.g. the AvatarCanvas): the whole area is a drop zone, the button sits bottom-right.
  return (
    <div className={className} data-testid="avatar-drop-zone" {...dropHandlers}>
      <div style={{ position: 'relative', width: '100%', height: '100%', outline, outlineOffset: -4 }}>
        {children}
        {dragging && <div style={OVERLAY_STYLE}>{labels?.drop ?? 'Drop a .vrm file'}</div>}
        <div style={{ position: 'absolute', right: 8, bottom: 8, display: 'flex', gap: 8, alignItems: 'center' }}>{controls}</div>
      </div>
    </div>
  );
}
