/** Pieces the settings page's sections share: the section, the inline error, the announced status. */
import { useId, type ReactNode } from 'react';

/** The message of a failed call, for an inline error. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A form's outcome: an error (role=alert, shown at once) or a status line (role=status, always in
 * the page so screen readers announce its changes).
 */
export function FormOutcome({ error, status }: { error: string | null; status: string }) {
  return (
    <>
      {error ? (
        <p className="settings-error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="settings-status" role="status">
        {error ? '' : status}
      </p>
    </>
  );
}

/** A titled section of the page, named by its heading. */
export function SettingsSection({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className="settings-section" aria-labelledby={headingId}>
      <h2 id={headingId} className="settings-heading">
        {title}
      </h2>
      {description ? <p className="settings-description">{description}</p> : null}
      {children}
    </section>
  );
}
