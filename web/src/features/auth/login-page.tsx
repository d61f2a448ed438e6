// SPDX-License-Identifier: Apache-2.0
// Sign-in: username and password; the server answers with the user and sets the session cookie.
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import type { LoginInput } from '../../../../contracts/identity.ts';
import { useSession } from '../../app/session.tsx';
import { LanguageSwitch } from '../../components/language-switch.tsx';
import { useI18n } from '../../i18n/i18n.tsx';
import { ApiError, errorMessage } from '../../lib/api.ts';

/** The sign-in screen. `expired` explains why the user is here again. */
export function LoginPage({ expired }: { expired: boolean }) {
  const { t } = useI18n();
  const { login } = useSession();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const submit = async (values: LoginInput) => {
    setSubmitting(true);
    setError(undefined);
    try {
      await login({ username: values.username.trim(), password: values.password });
    } catch (err) {
      setError(err);
      setSubmitting(false);
    }
  };

  const errorTitle = (() => {
    if (!(error instanceof ApiError)) return t('common.error');
    switch (error.code) {
      case 'invalid-credentials':
        return t('auth.invalidCredentials');
      case 'account-locked':
        return t('auth.locked');
      case 'too-many-requests':
        return t('auth.tooMany');
      default:
        return error.problem.title;
    }
  })();

  return (
    <div className="yz-login">
      <div className="yz-login-lang">
        <LanguageSwitch />
      </div>
      <Flex className="yz-login-inner" align="center" justify="center" gap={64} wrap>
        <div className="yz-login-brand">
          <img src="/favicon.svg" alt="" width={56} height={56} />
          <Typography.Title level={1} className="yz-login-title">
            {t('app.name')}
          </Typography.Title>
          <div className="yz-login-tagline">{t('app.tagline')}</div>
          <div className="yz-login-motto">{t('app.motto')}</div>
        </div>
        <Card className="yz-login-card" variant="borderless">
          <Typography.Title level={3} style={{ marginTop: 0 }}>
            {t('auth.title')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">{t('auth.subtitle')}</Typography.Paragraph>
          {expired && !error && <Alert type="warning" showIcon title={t('auth.sessionExpired')} className="yz-mb-16" />}
          {error !== undefined && (
            <Alert
              type="error"
              showIcon
              className="yz-mb-16"
              data-testid="login-error"
              data-code={error instanceof ApiError ? error.code : undefined}
              title={errorTitle}
              description={errorMessage(error)}
            />
          )}
          <Form<LoginInput> layout="vertical" size="large" onFinish={submit} requiredMark={false} autoComplete="on">
            <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" maxLength={100} />
            </Form.Item>
            <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" maxLength={200} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
              {t('auth.submit')}
            </Button>
          </Form>
          <Flex gap={6} align="flex-start" className="yz-login-notice">
            <SafetyOutlined />
            <span>{t('auth.notice')}</span>
          </Flex>
        </Card>
      </Flex>
      <div className="yz-login-footer">{t('app.footer')}</div>
    </div>
  );
}
