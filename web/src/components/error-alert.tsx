// SPDX-License-Identifier: Apache-2.0
// Shows an API error as people need it: the server's detail first, the request id for support.
import { Alert, Button } from 'antd';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages-zh-cn.ts';
import { ApiError, errorMessage } from '../lib/api.ts';

type Props = {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  className?: string;
  /** Leave out field errors (a form already shows them next to its fields). */
  hideFields?: boolean;
};

const STATUS_TITLES: Record<number, MessageKey> = {
  0: 'problem.network',
  400: 'problem.400',
  401: 'problem.401',
  403: 'problem.403',
  404: 'problem.404',
  409: 'problem.409',
  413: 'problem.413',
  423: 'problem.423',
  429: 'problem.429',
};

/** An error Alert with the problem's detail, its field errors and a retry button. */
export function ErrorAlert({ error, onRetry, title, className, hideFields = false }: Props) {
  const { t } = useI18n();
  const problem = error instanceof ApiError ? error.problem : undefined;
  const fields = hideFields ? [] : (problem?.errors ?? []);
  const statusKey = problem ? (STATUS_TITLES[problem.status] ?? (problem.status >= 500 ? 'problem.500' : undefined)) : undefined;
  return (
    <Alert
      className={className}
      type="error"
      showIcon
      data-testid="error-alert"
      title={title ?? (statusKey ? t(statusKey) : (problem?.title ?? t('common.error')))}
      description={
        <div>
          <div>{errorMessage(error)}</div>
          {fields.length > 0 && (
            <ul style={{ margin: '4px 0 0', paddingInlineStart: 18 }}>
              {fields.map((f) => (
                <li key={`${f.field}:${f.message}`}>
                  <code>{f.field}</code>: {f.message}
                </li>
              ))}
            </ul>
          )}
          {problem?.requestId && (
            <div style={{ marginTop: 4, fontSize: 12, opacity: 0.65 }}>
              {t('audit.requestId')}: {problem.requestId}
            </div>
          )}
        </div>
      }
      action={
        onRetry && (
          <Button size="small" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )
      }
    />
  );
}
