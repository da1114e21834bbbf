/** CloudWatch Logs rules shared by the components that create log groups. */
import type { Problems } from "./errors";

/** CloudWatch Logs: the retention periods (days) a log group accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Records a problem at `path` when `retention` is given and is not a CloudWatch Logs retention period. */
export function checkLogRetention(problems: Problems, path: string, retention: unknown): void {
  if (retention !== undefined && !(LOG_RETENTION_DAYS as readonly unknown[]).includes(retention))
    problems.add(path, retention, `a CloudWatch Logs retention in days: ${LOG_RETENTION_DAYS.join(", ")}`);
}
