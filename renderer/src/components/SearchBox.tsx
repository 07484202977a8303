/** The toolbar's search box: searches every account as you type; Escape clears it and goes back to the folder. */
import type { KeyboardEvent, Ref } from 'react';
import { searchSyntaxHelp } from '../../../common/search-query';
import { CloseIcon, SearchIcon } from './Icons';

export interface SearchBoxProps {
  ref: Ref<HTMLInputElement>;
  value: string;
  onChange: (text: string) => void;
  /** Escape or the clear button: empty the box and return to the folder. */
  onExit: () => void;
  /** ArrowDown or Enter: move to the results. */
  onFocusResults: () => void;
}

export function SearchBox({ ref, value, onChange, onExit, onFocusResults }: SearchBoxProps) {
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onExit();
    } else if ((event.key === 'ArrowDown' || event.key === 'Enter') && value !== '') {
      event.preventDefault();
      onFocusResults();
    }
  };
  return (
    <div className="search-box" role="search">
      <SearchIcon />
      <input
        ref={ref}
        type="search"
        role="searchbox"
        aria-label="Search all accounts"
        placeholder="Search all accounts"
        title={`Search all accounts (Ctrl+F or ⌘F, or just start typing in the list)\n\n${searchSyntaxHelp}`}
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {value !== '' ? (
        <button type="button" className="search-clear" aria-label="Clear search" onClick={onExit}>
          <CloseIcon />
        </button>
      ) : null}
    </div>
  );
}
