/** An account's storage use as a meter (sidebar, home); nothing when the total is unknown. */
import type { QuotaSummary } from '../lib/accounts';

export function QuotaMeter({
  quota,
  className,
  fillClassName,
}: {
  quota: QuotaSummary;
  className: string;
  fillClassName: string;
}) {
  if (quota.percent === null) return null;
  return (
    <div
      className={className}
      role="meter"
      aria-label={quota.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={quota.percent}
      aria-valuetext={quota.text}
    >
      <span className={fillClassName} style={{ width: `${quota.percent}%` }} />
    </div>
  );
}
