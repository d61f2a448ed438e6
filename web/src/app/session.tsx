// SPDX-License-Identifier: Apache-2.0
// Who is signed in. The session itself is an httpOnly cookie; the console only asks /api/auth/me.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { LoginInput, Me } from '../../../contracts/identity.ts';
import { api, ApiError, onUnauthenticated } from '../lib/api.ts';
import type { Permission } from '../lib/domain.ts';

/** The session as the console knows it. */
export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; expired: boolean }
  | { status: 'failed'; error: unknown }
  | { status: 'signed-in'; me: Me };

type Session = {
  state: SessionState;
  login: (input: LoginInput) => Promise<Me>;
  logout: () => Promise<void>;
  retry: () => void;
};

const SessionContext = createContext<Session | null>(null);

/** Loads the session on start and keeps it current. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api.get<Me>('/api/auth/me', undefined, controller.signal).then(
      (me) => setState({ status: 'signed-in', me }),
      (err: unknown) => {
        if (controller.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) setState({ status: 'anonymous', expired: false });
        else setState({ status: 'failed', error: err });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  // Any later 401 means the session expired or was revoked: back to the sign-in page.
  useEffect(
    () =>
      onUnauthenticated(() =>
        setState((s) => (s.status === 'signed-in' ? { status: 'anonymous', expired: true } : s)),
      ),
    [],
  );

  const login = useCallback(async (input: LoginInput) => {
    const me = await api.post<Me>('/api/auth/login', input);
    setState({ status: 'signed-in', me });
    return me;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post<void>('/api/auth/logout');
    } finally {
      setState({ status: 'anonymous', expired: false });
    }
  }, []);

  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((a) => a + 1);
  }, []);

  const value = useMemo(() => ({ state, login, logout, retry }), [state, login, logout, retry]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

/** The session and its actions. */
export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only for components rendered inside the signed-in layout. */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe without a signed-in user');
  return state.me;
}

/** Whether the signed-in user holds `permission`. */
export function useCan(): (permission: Permission) => boolean {
  const me = useMe();
  return useCallback((permission: Permission) => me.permissions.includes(permission), [me]);
}
