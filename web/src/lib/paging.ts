// SPDX-License-Identifier: Apache-2.0
// Server-side paging of the console's tables: the page asked for, and antd's pagination for it.
import type { TablePaginationConfig } from 'antd';
import type { Translate } from '../i18n/i18n.tsx';

export type Page = { current: number; pageSize: number };

/** The pagination of a table whose rows the server pages: size changer, the total, and page changes. */
export function tablePagination(page: Page, setPage: (p: Page) => void, total: number, t: Translate, extra: TablePaginationConfig = {}): TablePaginationConfig {
  return {
    current: page.current,
    pageSize: page.pageSize,
    total,
    showSizeChanger: true,
    showTotal: (n) => t('common.total', { total: n }),
    onChange: (current, pageSize) => setPage({ current, pageSize }),
    ...extra,
  };
}
