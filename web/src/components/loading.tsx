// SPDX-License-Identifier: Apache-2.0
// A centred spinner for whole areas that are still loading.
import { Flex, Spin } from 'antd';
import { useI18n } from '../i18n/i18n.tsx';

/** Spinner filling its container (at least `minHeight` pixels). */
export function Loading({ minHeight = 240 }: { minHeight?: number }) {
  const { t } = useI18n();
  return (
    <Flex align="center" justify="center" style={{ minHeight, width: '100%' }} data-testid="loading">
      <Spin description={t('common.loading')} />
    </Flex>
  );
}
