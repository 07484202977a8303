/** Settings: transfers at once, the bandwidth limit, and the remembered conflict choice. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { MethodArgs, SkyfoldApi } from '../../../common/contract';
import {
  maxTransferConcurrency,
  type ConflictChoiceDto,
  type TransferSettingsDto,
} from '../../../common/transfers';
import { bandwidthField, bandwidthUnits, parseBandwidthField, type BandwidthField } from '../lib/bandwidth';
import { queryKeys } from '../lib/query-keys';
import { FormOutcome, SettingsSection, errorText } from './SettingsParts';

const conflictLabels: Record<ConflictChoiceDto, string> = {
  rename: 'Keep both (the new one is renamed)',
  replace: 'Replace the existing one',
  skip: 'Skip it',
};

export function SettingsTransfers({ api }: { api: SkyfoldApi }) {
  const query = useQuery({
    queryKey: queryKeys.transferSettings(),
    queryFn: () => api.getTransferSettings({}),
  });
  const settings = query.data;
  return (
    <SettingsSection
      title="Transfers"
      description="These apply to every transfer, running ones included, in the app and the command line."
    >
      {query.isError ? (
        <p className="settings-error" role="alert">
          Could not read the transfer settings: {errorText(query.error)}
        </p>
      ) : null}
      {settings ? (
        <>
          <LimitsForm api={api} settings={settings} />
          <ConflictChoice api={api} settings={settings} />
        </>
      ) : null}
    </SettingsSection>
  );
}

/** Saves transfer settings and puts the engine's answer in the cache. */
function useSaveTransferSettings(api: SkyfoldApi) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (args: MethodArgs<'setTransferSettings'>) => api.setTransferSettings(args),
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.transferSettings(), settings),
  });
}

function LimitsForm({ api, settings }: { api: SkyfoldApi; settings: TransferSettingsDto }) {
  const save = useSaveTransferSettings(api);
  const concurrencyId = useId();
  const amountId = useId();
  const unitId = useId();
  const [concurrency, setConcurrency] = useState(String(settings.concurrency));
  const [bandwidth, setBandwidth] = useState<BandwidthField>(() => bandwidthField(settings.bandwidthLimit));
  const [invalid, setInvalid] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // Another window or the CLI may change them: show the engine's values whenever they change.
  const engineKey = `${settings.concurrency}:${settings.bandwidthLimit}`;
  const [shownKey, setShownKey] = useState(engineKey);
  if (shownKey !== engineKey) {
    setShownKey(engineKey);
    setConcurrency(String(settings.concurrency));
    setBandwidth(bandwidthField(settings.bandwidthLimit));
  }

  const submit = () => {
    setSaved(false);
    const count = Number(concurrency);
    if (!Number.isInteger(count) || count < 1 || count > maxTransferConcurrency) {
      setInvalid(`Transfers at once must be a whole number from 1 to ${maxTransferConcurrency}.`);
      return;
    }
    const parsed = parseBandwidthField(bandwidth);
    if (!parsed.ok) {
      setInvalid(parsed.error);
      return;
    }
    setInvalid(null);
    save.mutate({ concurrency: count, bandwidthLimit: parsed.limit }, { onSuccess: () => setSaved(true) });
  };

  return (
    <form
      className="settings-form"
      aria-label="Transfer limits"
      // Errors show inline (role=alert) rather than in the browser's bubbles.
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="settings-field">
        <label htmlFor={concurrencyId}>Transfers at once</label>
        <input
          id={concurrencyId}
          type="number"
          min={1}
          max={maxTransferConcurrency}
          step={1}
          className="settings-input settings-input-short"
          value={concurrency}
          onChange={(event) => setConcurrency(event.target.value)}
        />
      </div>
      <div className="settings-field">
        <span className="settings-label" id={`${amountId}-label`}>
          Bandwidth limit
        </span>
        <div className="settings-inline" role="group" aria-labelledby={`${amountId}-label`}>
          <input
            id={amountId}
            type="number"
            min={1}
            step="any"
            aria-label="Bandwidth limit amount"
            className="settings-input settings-input-short"
            disabled={bandwidth.unit === 'unlimited'}
            value={bandwidth.amount}
            onChange={(event) => setBandwidth({ ...bandwidth, amount: event.target.value })}
          />
          <select
            id={unitId}
            aria-label="Bandwidth limit unit"
            className="settings-input"
            value={bandwidth.unit}
            onChange={(event) =>
              setBandwidth({
                unit: event.target.value as BandwidthField['unit'],
                amount: event.target.value === 'unlimited' ? '' : bandwidth.amount || '1',
              })
            }
          >
            <option value="unlimited">Unlimited</option>
            {Object.keys(bandwidthUnits).map((unit) => (
              <option key={unit} value={unit}>
                {unit}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="settings-actions">
        <button type="submit" className="button" disabled={save.isPending}>
          Save transfer limits
        </button>
      </div>
      <FormOutcome
        error={invalid ?? (save.isError ? errorText(save.error) : null)}
        status={saved ? 'Transfer limits saved.' : ''}
      />
    </form>
  );
}

function ConflictChoice({ api, settings }: { api: SkyfoldApi; settings: TransferSettingsDto }) {
  const save = useSaveTransferSettings(api);
  const [forgotten, setForgotten] = useState(false);
  const choice = settings.conflictDefault;
  return (
    <div className="settings-form">
      <div className="settings-field">
        <span className="settings-label">When a name is taken at the destination</span>
        <span data-testid="conflict-default">
          {choice === null ? 'Ask each time' : `${conflictLabels[choice]} (remembered)`}
        </span>
      </div>
      {choice !== null ? (
        <div className="settings-actions">
          <button
            type="button"
            className="button button-secondary"
            disabled={save.isPending}
            onClick={() => save.mutate({ conflictDefault: null }, { onSuccess: () => setForgotten(true) })}
          >
            Forget this choice
          </button>
        </div>
      ) : null}
      <FormOutcome
        error={save.isError ? errorText(save.error) : null}
        status={forgotten && choice === null ? 'Choice forgotten: Skyfold will ask next time.' : ''}
      />
    </div>
  );
}
