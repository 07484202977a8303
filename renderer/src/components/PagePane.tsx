/** A pane at home (All clouds) or on the settings page: no listing, the same toolbar. */
import { useEffect } from 'react';
import type { PaneLocation } from '../lib/pane-location';
import { Breadcrumbs } from './Breadcrumbs';
import { HomeView } from './HomeView';
import type { ExplorerPaneProps, Navigate } from './ExplorerPane';
import { NavigationButtons, SplitToggle, useHistoryKeys } from './PaneToolbar';

/** Home and settings: no listing, the same toolbar. */
export function PagePane(props: ExplorerPaneProps & { location: PaneLocation; navigate: Navigate }) {
  const { location, navigate } = props;
  useHistoryKeys(props.active, props.history, props.onHistoryChange, null);
  useEffect(() => {
    if (props.active) {
      props.onFocusItem(null);
      document.title = `${location.view === 'settings' ? 'Settings' : 'All clouds'} — Skyfold`;
    }
  }, [props, location.view]);
  return (
    <>
      <div className="toolbar">
        <NavigationButtons history={props.history} onHistoryChange={props.onHistoryChange} onUp={null} />
        <Breadcrumbs
          crumbs={[
            {
              label: location.view === 'settings' ? 'Settings' : 'All clouds',
              location,
              current: true,
              dropTarget: null,
              children: () => Promise.resolve([]),
            },
          ]}
          onNavigate={navigate}
        />
        <SplitToggle split={props.split} onToggle={props.onToggleSplit} />
        {props.searchBox}
        {props.extraActions}
      </div>
      <div className="content">
        {props.search ??
          (location.view === 'settings' ? (
            props.settings()
          ) : (
            <HomeView accounts={props.accounts} onOpen={navigate} onAddAccount={props.onAddAccount} />
          ))}
      </div>
    </>
  );
}
