// SPDX-License-Identifier: Apache-2.0
// Public surface of back-flow (数据回流): data sets published down to the regions they concern, and corrections sent back up.
export { createDataset, getDataset, listDatasets, listRows, listVersions, publishVersion, rowHistory } from './datasets.service.ts';
export { acceptCorrection, listCorrections, proposeCorrection, rejectCorrection } from './corrections.service.ts';
export { datasetRoutes } from './datasets.routes.ts';
