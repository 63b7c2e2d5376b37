/** The tableau de bord's documents: the Excel workbook, the Gantt picture and the digest's progress chart. */
export type { ChartPng } from './chart.ts';
export { type GanttInput, ganttPng } from './gantt.ts';
export { type ProgressRow, progressChartPng } from './progress.ts';
export { periodLabel, suiviSheetName } from './suivi-sheet.ts';
export { STATUS_STYLES, type TaskStatus, taskStatus } from './tasks.ts';
export { type DashboardXlsxInput, dashboardXlsx } from './xlsx.ts';
