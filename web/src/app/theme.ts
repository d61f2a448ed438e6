// SPDX-License-Identifier: Apache-2.0
// The console's look: a calm government blue, compact radii, CJK-first fonts.
import type { ThemeConfig } from 'antd';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: '#1d5bd8',
    colorInfo: '#1d5bd8',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif",
    colorBgLayout: '#f3f5f9',
  },
  components: {
    Layout: { siderBg: '#0f1f3d', headerBg: '#ffffff', headerHeight: 56, headerPadding: '0 16px' },
    Menu: {
      darkItemBg: '#0f1f3d',
      darkSubMenuItemBg: '#0b1830',
      darkItemSelectedBg: '#1d5bd8',
      darkGroupTitleColor: 'rgba(255,255,255,0.45)',
    },
    Card: { headerFontSizeSM: 14 },
  },
};
