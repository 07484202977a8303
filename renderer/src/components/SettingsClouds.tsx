/**
 * Settings: the OAuth client each cloud signs in with (common/client-settings.ts). The form edits
 * what is saved; beside it, what sign-in uses now and where it comes from (the environment wins).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type {
  ClientSettingSource,
  CloudClientSettingsDto,
  SavedClientSettingsDto,
} from '../../../common/client-settings';
import type { MethodArgs, SkyfoldApi } from '../../../common/contract';
import { providerLabels } from '../lib/accounts';
import { queryKeys } from '../lib/query-keys';
import { FormOutcome, SettingsSection, errorText } from './SettingsParts';

const sourceLabels: Record<ClientSettingSource, string> = {
  environment: 'from the environment',
  settings: 'saved here',
  default: 'built in',
};

type UrlKey = 'endpoint' | 'authUrl' | 'tokenUrl' | 'revokeUrl';
const urlFields: ReadonlyArray<{ key: UrlKey; label: string }> = [
  { key: 'endpoint', label: 'Endpoint base URL (an emulator or proxy serving every path)' },
  { key: 'authUrl', label: 'Authorization URL' },
  { key: 'tokenUrl', label: 'Token URL' },
  { key: 'revokeUrl', label: 'Revoke URL' },
];

export function SettingsClouds({ api }: { api: SkyfoldApi }) {
  const query = useQuery({
    queryKey: queryKeys.clientSettings(),
    queryFn: () => api.getClientSettings({}),
  });
  return (
    <SettingsSection
      title="Clouds"
      description="The app registration (OAuth client) each cloud signs in with. Values set in the environment (SKYFOLD_GDRIVE_CLIENT_ID and the like) are used instead of the ones saved here. Changes apply to the next sign-in."
    >
      {query.isError ? (
        <p className="settings-error" role="alert">
          Could not read the cloud settings: {errorText(query.error)}
        </p>
      ) : null}
      {query.data?.map((cloud) => (
        <CloudForm key={cloud.provider} api={api} cloud={cloud} />
      ))}
    </SettingsSection>
  );
}

type FormValues = Record<'clientId' | UrlKey, string>;

function formValues(saved: SavedClientSettingsDto): FormValues {
  return {
    clientId: saved.clientId ?? '',
    endpoint: saved.endpoint ?? '',
    authUrl: saved.authUrl ?? '',
    tokenUrl: saved.tokenUrl ?? '',
    revokeUrl: saved.revokeUrl ?? '',
  };
}

function CloudForm({ api, cloud }: { api: SkyfoldApi; cloud: CloudClientSettingsDto }) {
  const queryClient = useQueryClient();
  const id = useId();
  const label = providerLabels[cloud.provider];
  const [values, setValues] = useState(() => formValues(cloud.saved));
  const [secret, setSecret] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  // Saved elsewhere (another window, settings.json edited): show the new values.
  const savedKey = JSON.stringify(cloud.saved);
  const [shownKey, setShownKey] = useState(savedKey);
  if (shownKey !== savedKey) {
    setShownKey(savedKey);
    setValues(formValues(cloud.saved));
  }
  const save = useMutation({
    mutationFn: (args: MethodArgs<'setClientSettings'>) => api.setClientSettings(args),
    onSuccess: (clouds) => queryClient.setQueryData(queryKeys.clientSettings(), clouds),
  });
  const submit = (change: Omit<MethodArgs<'setClientSettings'>, 'provider'>, message: string) => {
    setSaved(null);
    save.mutate(
      { provider: cloud.provider, ...change },
      {
        onSuccess: () => {
          setSecret('');
          setSaved(message);
        },
      },
    );
  };
  const blankToNull = (value: string) => (value.trim() === '' ? null : value.trim());
  const field = (key: 'clientId' | UrlKey, text: string, placeholder?: string) => (
    <div className="settings-field" key={key}>
      <label htmlFor={`${id}-${key}`}>{text}</label>
      <input
        id={`${id}-${key}`}
        type={key === 'clientId' ? 'text' : 'url'}
        className="settings-input"
        spellCheck={false}
        autoComplete="off"
        placeholder={placeholder}
        value={values[key]}
        onChange={(event) => setValues({ ...values, [key]: event.target.value })}
      />
    </div>
  );

  return (
    <form
      className="settings-form settings-cloud"
      aria-label={`${label} client`}
      // Errors show inline (role=alert) rather than in the browser's bubbles.
      noValidate
      data-testid={`cloud-settings-${cloud.provider}`}
      onSubmit={(event) => {
        event.preventDefault();
        submit(
          {
            clientId: blankToNull(values.clientId),
            endpoint: blankToNull(values.endpoint),
            authUrl: blankToNull(values.authUrl),
            tokenUrl: blankToNull(values.tokenUrl),
            revokeUrl: blankToNull(values.revokeUrl),
            ...(secret.trim() === '' ? {} : { clientSecret: secret.trim() }),
          },
          `${label} settings saved.`,
        );
      }}
    >
      <h3 className="settings-subheading">{label}</h3>
      <InUse cloud={cloud} />
      {field('clientId', 'Client ID')}
      {cloud.provider === 'gdrive' ? (
        <div className="settings-field">
          <label htmlFor={`${id}-secret`}>Client secret (Google desktop apps have one)</label>
          <div className="settings-inline">
            <input
              id={`${id}-secret`}
              type="password"
              className="settings-input"
              autoComplete="off"
              placeholder={cloud.saved.clientSecretSet ? 'Saved (type to replace)' : ''}
              value={secret}
              onChange={(event) => setSecret(event.target.value)}
            />
            {cloud.saved.clientSecretSet ? (
              <button
                type="button"
                className="button button-small button-secondary"
                disabled={save.isPending}
                onClick={() => submit({ clientSecret: null }, 'Client secret forgotten.')}
              >
                Forget secret
              </button>
            ) : null}
          </div>
        </div>
      ) : null}
      <details className="settings-details" open={values.endpoint !== '' || undefined}>
        <summary>Endpoints</summary>
        {urlFields.map(({ key, label: text }) =>
          field(key, text, key === 'endpoint' ? 'https://… (empty: the real service)' : 'https://…'),
        )}
      </details>
      <div className="settings-actions">
        <button type="submit" className="button" disabled={save.isPending}>
          Save {label}
        </button>
      </div>
      <FormOutcome error={save.isError ? errorText(save.error) : null} status={saved ?? ''} />
    </form>
  );
}

/** What sign-in uses now, and where each value comes from. */
function InUse({ cloud }: { cloud: CloudClientSettingsDto }) {
  const overridden = cloud.clientIdSource === 'environment' || cloud.endpoints?.source === 'environment';
  return (
    <div className="settings-in-use" data-testid={`cloud-in-use-${cloud.provider}`}>
      <dl>
        <dt>Client ID in use</dt>
        <dd>
          {cloud.clientId === null ? (
            'None: sign-in needs one'
          ) : (
            <>
              <code>{cloud.clientId}</code> ({sourceLabels[cloud.clientIdSource]})
            </>
          )}
        </dd>
        {cloud.clientSecret !== null ? (
          <>
            <dt>Client secret</dt>
            <dd>
              <code>{cloud.clientSecret}</code> ({sourceLabels[cloud.clientSecretSource]})
            </dd>
          </>
        ) : null}
        {cloud.endpoints ? (
          <>
            <dt>Endpoints in use ({sourceLabels[cloud.endpoints.source]})</dt>
            <dd>
              <code>{cloud.endpoints.endpoint ?? cloud.endpoints.authorizationUrl}</code>
              {cloud.endpoints.endpoint === null ? (
                <>
                  , <code>{cloud.endpoints.tokenUrl}</code>
                </>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      {overridden ? (
        <p className="settings-note">
          The environment sets {cloud.clientIdSource === 'environment' ? 'the client ID' : ''}
          {cloud.clientIdSource === 'environment' && cloud.endpoints?.source === 'environment' ? ' and ' : ''}
          {cloud.endpoints?.source === 'environment' ? 'the endpoints' : ''}: it wins over what is saved here.
        </p>
      ) : null}
      {cloud.error ? (
        <p className="settings-error" role="alert">
          {cloud.error}
        </p>
      ) : null}
    </div>
  );
}
