import { memo, useMemo, useState, type Ref } from 'react';
import type { SessionState } from '@va/protocol';
import { AvatarCanvas, type AvatarController } from '../avatar/avatar-canvas.tsx';
import { AvatarFilePicker } from '../avatar/avatar-file-picker.tsx';
import { useI18n } from '../i18n/i18n-context.tsx';
import { SessionStateBadge } from './status-badges.tsx';

export const DEFAULT_MODEL_URL = '/avatar/default.vrm';

/** The avatar stage: the VRM canvas (also a drop zone for a .vrm), the session state, and the picker. */
export const AvatarPanel = memo(function AvatarPanel({ analyser, state, ducked = false, controllerRef }: { analyser: AnalyserNode | null; state: SessionState; ducked?: boolean; controllerRef: Ref<AvatarController> }) {
  const { t } = useI18n();
  const [modelUrl, setModelUrl] = useState(DEFAULT_MODEL_URL);
  const canvasLabels = useMemo(() => ({ loading: t('avatar.loading'), error: t('avatar.loadError') }), [t]);
  const pickerLabels = useMemo(() => ({ button: t('avatar.load'), drop: t('avatar.drop'), invalid: t('avatar.invalid') }), [t]);
  return (
    <div className="stage-bg avatar-stage relative h-full w-full overflow-hidden rounded-xl border border-border">
      <AvatarFilePicker onModelUrl={setModelUrl} className="h-full w-full" labels={pickerLabels}>
        <AvatarCanvas modelUrl={modelUrl} analyser={analyser} className="h-full w-full" labels={canvasLabels} ref={controllerRef} />
      </AvatarFilePicker>
      <div className="pointer-events-none absolute top-3 left-3">
        <SessionStateBadge state={state} ducked={ducked} />
      </div>
    </div>
  );
});
