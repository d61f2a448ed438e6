// SPDX-License-Identifier: Apache-2.0
// The console: language and theme, then either the sign-in page or the signed-in shell.
import { App as AntApp, Button, ConfigProvider, Result } from 'antd';
import { antdLocale } from '../i18n/antd-locale.ts';
import { I18nProvider, useI18n } from '../i18n/i18n.tsx';
import { Loading } from '../components/loading.tsx';
import { LoginPage } from '../features/auth/login-page.tsx';
import { errorMessage } from '../lib/api.ts';
import { AppLayout } from './app-layout.tsx';
import { SessionProvider, useSession } from './session.tsx';
import { theme } from './theme.ts';

function Gate() {
  const { state, retry } = useSession();
  const { t } = useI18n();
  switch (state.status) {
    case 'loading':
      return <Loading minHeight={window.innerHeight} />;
    case 'failed':
      return (
        <Result
          status="500"
          title={t('common.error')}
          subTitle={errorMessage(state.error)}
          extra={
            <Button type="primary" onClick={retry}>
              {t('common.retry')}
            </Button>
          }
        />
      );
    case 'anonymous':
      return <LoginPage expired={state.expired} />;
    case 'signed-in':
      return <AppLayout key={state.me.id} />;
  }
}

function Themed() {
  const { lang } = useI18n();
  return (
    <ConfigProvider locale={antdLocale(lang)} theme={theme}>
      <AntApp>
        <SessionProvider>
          <Gate />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

/** The whole console. */
export function App() {
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
