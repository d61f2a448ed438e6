// SPDX-License-Identifier: Apache-2.0
// The conflicts of activation and stand-down as sentences a dispatcher can act on; anything else as the usual error.
import { Alert } from 'antd';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import type { MessageKey } from '../../i18n/messages-zh-cn.ts';
import { ApiError } from '../../lib/api.ts';

const KNOWN: Record<string, { title: MessageKey; hint: MessageKey }> = {
  'no-applicable-plan': { title: 'activation.problem.no-applicable-plan', hint: 'activation.problem.no-applicable-plan.hint' },
  'roles-unbound': { title: 'activation.problem.roles-unbound', hint: 'activation.problem.roles-unbound.hint' },
  'already-activated': { title: 'activation.problem.already-activated', hint: 'activation.problem.already-activated.hint' },
  'incident-not-open': { title: 'activation.problem.incident-not-open', hint: 'activation.problem.incident-not-open.hint' },
  'no-location': { title: 'activation.problem.no-location', hint: 'activation.problem.no-location.hint' },
  'already-stood-down': { title: 'activation.problem.already-stood-down', hint: 'activation.problem.already-stood-down.hint' },
};

/** An error Alert; the known 409 problems of activation say what happened and what to do. */
export function ProblemAlert({ error, action, onRetry }: { error: unknown; action?: ReactNode; onRetry?: () => void }) {
  const { t } = useI18n();
  const known = error instanceof ApiError && error.status === 409 ? KNOWN[error.code] : undefined;
  if (!known || !(error instanceof ApiError)) return <ErrorAlert error={error} onRetry={onRetry} />;
  return (
    <Alert
      type="error"
      showIcon
      data-testid="activation-problem"
      data-code={error.code}
      title={t(known.title)}
      description={t(known.hint)}
      action={action}
    />
  );
}
