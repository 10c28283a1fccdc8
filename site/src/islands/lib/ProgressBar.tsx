/** A course's completion as an accessible progress bar (styled by `.progress` in islands.css). */
export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  return (
    <div
      class="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-label={label}
    >
      <span style={{ width: `${percent}%` }} />
    </div>
  );
}
