import { type ReactNode, useCallback, useMemo, useRef, useState } from 'react';
import { Link, useMatch, useNavigate, useSearchParams } from 'react-router';
import { Button } from '../../../components/button';
import { EmptyState, ErrorState } from '../../../components/states';
import { toast } from '../../../components/toast';
import { errorCode } from '../../../lib/api/api-error';
import { describeError } from '../../../lib/api/describe-error';
import type { Card, Deal } from '../../../lib/api/types';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useMembers } from '../../../lib/members/use-members';
import { newDealParams, paths, patterns } from '../../../lib/paths';
import { useMe } from '../../../lib/session/use-session';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { boardQueryKey, defaultBoardFilters, isBoardFiltered, useBoard } from '../api/board';
import { useChangeDealStatus } from '../api/deals';
import { useBoardFilters } from '../hooks/use-board-filters';
import { boardFiltersFromView, boardViewFilters } from '../utils/board-views';
import { Board, type CardSelection } from './board';
import { BoardFiltersBar } from './board-filters';
import { BoardSkeleton } from './board-skeleton';
import { CreateDealDialog } from './create-deal-dialog';
import { DealDrawer } from './deal-drawer';
import type { CardAction } from './deal-card';
import type { MissingFieldsRequest } from '../api/move-deal';
import { LoseDealDialog } from './lose-deal-dialog';
import { RequiredFieldsDialog } from './required-fields-dialog';

/** What the app's saved-views picker needs of the board: its filters as a view holds them, and how to show a view. */
export interface BoardViewsSlot {
  current: { filters: Record<string, string>; sort: string | null };
  onApply: (view: { filters: Record<string, unknown> }) => void;
}

/** The board's selection as the app's bulk actions keep it. */
export interface BoardSelection extends CardSelection {
  toggleAll: () => void;
  allSelected: boolean;
}

/** What the app's selection and bulk actions need of the board; it draws the board with the selection. */
export interface BoardSelectionSlot {
  /** The cards shown, column by column. */
  ids: string[];
  /** The pipeline's stages, where deals can move. */
  stages: { id: string; name: string }[];
  nameOf: (id: string) => string;
  /** The version of a deal the board shows, so a bulk action leaves one changed since as it is. */
  versionOf: (id: string) => number | undefined;
  children: (selection: BoardSelection) => ReactNode;
}

interface BoardScreenProps {
  pipelineId: string;
  dealExtra?: (deal: Deal) => ReactNode;
  /** What the drawer shows under the deal's line items (its quotes and invoices), composed by the app. */
  dealDocuments?: (deal: Deal) => ReactNode;
  /** The saved views of the board, composed by the app. */
  views?: (slot: BoardViewsSlot) => ReactNode;
  /** Select mode's checkboxes and bulk actions, composed by the app. */
  selection?: (slot: BoardSelectionSlot) => ReactNode;
}

/**
 * The board of one pipeline, with its filters, dialogs and (from the URL) the open deal's drawer.
 * In select mode (when the app provides bulk actions) the cards carry checkboxes and do not drag.
 */
export function BoardScreen({ pipelineId, dealExtra, dealDocuments, views, selection }: BoardScreenProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const navigate = useNavigate();
  const dealId = useMatch(patterns.deal)?.params.dealId;
  const { filters, setFilters, search } = useBoardFilters();
  const boardKey = useMemo(() => boardQueryKey(pipelineId, filters), [pipelineId, filters]);
  const board = useBoard(pipelineId, filters);
  useDocumentTitle(board.data?.pipeline.name);
  const me = useMe();
  const members = useMembers();
  const { mutate: changeStatus } = useChangeDealStatus();
  const [creatingIn, setCreatingIn] = useState<string | null>(null);
  // "Start a deal" elsewhere (a customer's upcoming date) opens the form here, filled in.
  const [params, setParams] = useSearchParams();
  const startFor = params.get(newDealParams.open)
    ? { contactId: params.get(newDealParams.contact), organizationId: params.get(newDealParams.organization) }
    : null;
  const closeStart = () =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const name of Object.values(newDealParams)) next.delete(name);
        return next;
      },
      { replace: true },
    );
  const [losing, setLosing] = useState<Card | null>(null);
  const [asking, setAsking] = useState<MissingFieldsRequest | null>(null);
  const [selecting, setSelecting] = useState(false);
  const filtered = isBoardFiltered(filters);
  const query = search ? `?${search}` : '';
  // The card callback reads navigation state through a ref, so it stays the same function and the
  // memoized columns and cards do not re-render when the URL changes (opening the drawer).
  const latest = useRef({ navigate, query });
  latest.current = { navigate, query };

  const onAction = useCallback(
    (deal: Card, action: CardAction) => {
      switch (action) {
        case 'open':
          latest.current.navigate(`${paths.deal(pipelineId, deal.id)}${latest.current.query}`);
          return;
        case 'lose':
          setLosing(deal);
          return;
        case 'win':
        case 'reopen':
          changeStatus(
            { deal, action: { kind: action } },
            {
              onSuccess: (next) => toast.success(t(action === 'win' ? 'board.actions.won' : 'board.actions.reopened', { title: next.title })),
              onError: (error) => toast.error(t('board.actions.failed', { title: deal.title, reason: describeError(error, t) })),
            },
          );
      }
    },
    [pipelineId, changeStatus, t],
  );

  const membersById = members.isSuccess ? members.byId : null;
  const firstStageId = board.data?.columns[0]?.stage.id;
  const totalDeals = board.data?.columns.reduce((sum, column) => sum + column.count, 0) ?? 0;
  const viewFilters = useMemo(() => boardViewFilters(filters), [filters]);
  const columns = board.data?.columns;
  const ids = useMemo(() => (columns ?? []).flatMap((column) => column.deals.map((deal) => deal.id)), [columns]);
  const stages = useMemo(() => (columns ?? []).map((column) => ({ id: column.stage.id, name: column.stage.name })), [columns]);
  const findDeal = useCallback((id: string) => (columns ?? []).flatMap((column) => column.deals).find((deal) => deal.id === id), [columns]);
  const nameOf = useCallback((id: string) => findDeal(id)?.title ?? id, [findDeal]);
  const versionOf = useCallback((id: string) => findDeal(id)?.version, [findDeal]);

  const drawBoard = (data: NonNullable<typeof board.data>, cards: CardSelection | undefined) => (
    <Board
      board={data}
      boardKey={boardKey}
      i18n={i18n}
      members={membersById}
      filtered={filtered}
      onAction={onAction}
      onAddDeal={setCreatingIn}
      selection={cards}
      onMissingFields={setAsking}
    />
  );

  return (
    <main className="board-screen" id="main">
      <div className="toolbar">
        <h1 className="toolbar__title" dir="auto">
          {board.data ? board.data.pipeline.name : <span className="visually-hidden">{t('nav.board')}</span>}
        </h1>
        <BoardFiltersBar filters={filters} setFilters={setFilters} members={members.members} meId={me.data?.user.id} i18n={i18n} />
        {views?.({ current: { filters: viewFilters, sort: null }, onApply: (view) => setFilters(boardFiltersFromView(view.filters)) })}
        <div className="toolbar__actions">
          {selection && (
            <Button aria-pressed={selecting} onClick={() => setSelecting((current) => !current)} data-testid="select-mode">
              {t('bulk.selectMode')}
            </Button>
          )}
          <Link className="button button--ghost" to={paths.pipelineSettings(pipelineId)}>
            {t('nav.settings')}
          </Link>
          <Button variant="primary" disabled={!firstStageId} onClick={() => firstStageId && setCreatingIn(firstStageId)}>
            {`+ ${t('board.addDeal')}`}
          </Button>
        </div>
      </div>

      {board.isPending && <BoardSkeleton label={t('common.loading')} />}
      {board.isError && !board.data && (
        <ErrorState
          title={t('board.loadFailed')}
          error={board.error}
          onRetry={errorCode(board.error) === 'not_found' ? undefined : () => void board.refetch()}
          action={
            errorCode(board.error) === 'not_found' ? (
              <Link className="button button--primary" to={paths.home}>
                {t('notFound.action')}
              </Link>
            ) : undefined
          }
        />
      )}
      {board.data && (
        <>
          {totalDeals === 0 && (
            <div className="board-screen__empty">
              {filtered ? (
                <EmptyState
                  title={t('board.empty.filteredTitle')}
                  body={t('board.empty.filteredBody')}
                  action={<Button onClick={() => setFilters(defaultBoardFilters)}>{t('board.filters.clear')}</Button>}
                />
              ) : (
                <EmptyState title={t('board.empty.title')} body={t('board.empty.body')} />
              )}
            </div>
          )}
          {selection && selecting
            ? selection({
                ids,
                stages,
                nameOf,
                versionOf,
                children: (cards) => (
                  <>
                    <div className="board-select-bar">
                      <label className="checkbox">
                        <input type="checkbox" checked={cards.allSelected} onChange={() => cards.toggleAll()} />
                        <span>{t('bulk.selectAll')}</span>
                      </label>
                    </div>
                    {drawBoard(board.data, cards)}
                  </>
                ),
              })
            : drawBoard(board.data, undefined)}
        </>
      )}

      {startFor && !creatingIn && firstStageId && board.data && me.data && (
        <CreateDealDialog
          pipeline={board.data.pipeline}
          stageId={firstStageId}
          members={members.members}
          meId={me.data.user.id}
          i18n={i18n}
          initialCustomer={startFor}
          onClose={closeStart}
        />
      )}
      {creatingIn && board.data && me.data && (
        <CreateDealDialog
          pipeline={board.data.pipeline}
          stageId={creatingIn}
          members={members.members}
          meId={me.data.user.id}
          i18n={i18n}
          onClose={() => setCreatingIn(null)}
        />
      )}
      {asking && (
        <RequiredFieldsDialog
          deal={asking.deal}
          stage={asking.stage}
          missing={asking.missing}
          i18n={i18n}
          onCancel={() => setAsking(null)}
          onFilled={() => {
            const { resume } = asking;
            setAsking(null);
            resume();
          }}
        />
      )}
      {losing && (
        <LoseDealDialog
          deal={losing}
          i18n={i18n}
          onClose={() => setLosing(null)}
          onLost={(lost) => {
            setLosing(null);
            toast.success(t('board.actions.lost', { title: lost.title }));
          }}
        />
      )}
      {dealId && board.data && (
        <DealDrawer
          dealId={dealId}
          pipeline={board.data.pipeline}
          members={members.members}
          membersById={members.byId}
          i18n={i18n}
          extra={dealExtra}
          documents={dealDocuments}
          onClose={() => navigate(`${paths.board(pipelineId)}${query}`)}
        />
      )}
    </main>
  );
}
