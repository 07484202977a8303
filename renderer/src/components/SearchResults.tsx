/**
 * The main area while searching: the filter chips of the parsed query, the result count (or why the
 * text cannot be read), and the results. The previous results stay on screen while the next load.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { SkyfoldApi } from '../../../common/contract';
import type { AccountDto } from '../../../common/dto';
import { pageRange } from '../lib/paging';
import { queryKeys } from '../lib/query-keys';
import {
  readSearchText,
  resultCountLabel,
  searchChips,
  textWithoutChip,
  type BrowseTarget,
  type SearchAnswer,
} from '../lib/search';
import { CloseIcon } from './Icons';
import { SearchList } from './SearchList';
import { ErrorState, LoadingState } from './States';

export interface SearchResultsProps {
  api: SkyfoldApi;
  /** The box's text, debounced. */
  text: string;
  /** The box holds newer text than `text` (still settling). */
  settling: boolean;
  accounts: readonly AccountDto[] | undefined;
  now: number;
  onTextChange: (text: string) => void;
  onBrowse: (target: BrowseTarget) => void;
  onExit: () => void;
}

export function SearchResults({
  api,
  text,
  settling,
  accounts,
  now,
  onTextChange,
  onBrowse,
  onExit,
}: SearchResultsProps) {
  const parsed = useMemo(() => readSearchText(text, now), [text, now]);
  const query = parsed.status === 'query' ? parsed.query : null;
  const head = useQuery({
    queryKey: queryKeys.searchPage(text, 0),
    queryFn: async (): Promise<SearchAnswer> => ({
      text,
      query: query!,
      result: await api.search({ query: query!, ...pageRange(0) }),
    }),
    enabled: query !== null,
    placeholderData: (previous) => previous,
  });
  const answer = head.data;
  const chips = query ? searchChips(query) : [];

  let status;
  if (parsed.status === 'error') {
    status = (
      <span className="search-error" role="alert" data-testid="search-error">
        {parsed.message}
      </span>
    );
  } else if (parsed.status === 'empty') {
    status = settling ? null : (
      <span className="search-hint">Type part of a name, or a filter such as ext:pdf or size:&gt;10MB.</span>
    );
  } else if (answer && answer.text === text) {
    status = (
      <span data-testid="search-count">
        {resultCountLabel(answer.result.total, answer.result.totalExact, text)}
      </span>
    );
  } else {
    status = <span className="search-hint">Searching…</span>;
  }

  let body;
  if (head.error && !answer) {
    body = (
      <ErrorState
        title="Could not search"
        message={head.error.message}
        retrying={head.isFetching}
        onRetry={() => void head.refetch()}
      />
    );
  } else if (answer && answer.result.total > 0) {
    body = (
      <SearchList
        api={api}
        answer={answer}
        stale={answer.text !== text}
        accounts={accounts}
        onBrowse={onBrowse}
        onExit={onExit}
      />
    );
  } else if (query && !answer) {
    body = <LoadingState label="Searching…" />;
  } else {
    body = null;
  }

  return (
    <div className="search-results" aria-busy={head.isFetching || settling || undefined}>
      <div className="search-header">
        {chips.length > 0 ? (
          <ul className="chips" aria-label="Filters">
            {chips.map((chip) => (
              <li key={chip.id} className="chip" data-testid="filter-chip">
                <span>{chip.label}</span>
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove filter ${chip.label}`}
                  onClick={() => onTextChange(textWithoutChip(query!, chip.id))}
                >
                  <CloseIcon />
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="search-status" aria-live="polite">
          {status}
        </div>
      </div>
      {body}
    </div>
  );
}
