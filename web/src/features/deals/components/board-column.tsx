import { Draggable, Droppable } from '@hello-pangea/dnd';
import { memo, useEffect, useRef } from 'react';
import { Button } from '../../../components/button';
import { Spinner } from '../../../components/states';
import type { BoardColumn as Column, Card, User } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { type BoardQueryKey, useLoadMoreCards } from '../api/board';
import { navAttribute } from '../hooks/use-board-navigation';
import { useProgressiveCount } from '../hooks/use-progressive-count';
import { addButtonKey } from '../utils/board-navigation';
import type { CardSelection } from './board';
import { type CardAction, DealCard } from './deal-card';

interface BoardColumnProps {
  column: Column;
  boardKey: BoardQueryKey;
  i18n: I18n;
  /** The workspace's members by id; null until they have loaded. */
  members: Map<string, User> | null;
  /** The names of the cards' contacts and organizations, by id. */
  customerNames: Map<string, string>;
  filtered: boolean;
  onAction: (deal: Card, action: CardAction) => void;
  onAddDeal: (stageId: string) => void;
  /** Select mode: the cards carry checkboxes and do not drag. */
  selection?: CardSelection | undefined;
  /** The key of the board's one Tab stop when it is in this column (see useBoardNavigation), else null. */
  tabbable: string | null;
}

export const BoardColumn = memo(function BoardColumn({
  column,
  boardKey,
  i18n,
  members,
  customerNames,
  filtered,
  onAction,
  onAddDeal,
  selection,
  tabbable,
}: BoardColumnProps) {
  const { t } = i18n;
  const { stage } = column;
  const loadMore = useLoadMoreCards(boardKey, stage.id);
  const sentinel = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement | null>(null);
  const cursor = column.next_cursor ?? null;
  const rendered = useProgressiveCount(column.deals.length);
  const canLoadMore = cursor !== null && rendered >= column.deals.length && !loadMore.isPending && !loadMore.isError;

  // Load the next page as the user scrolls the board near the end of the column.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !canLoadMore || !cursor) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) loadMore.mutate(cursor);
      },
      // The board scrolls its columns (they do not scroll on their own).
      { root: list.current?.closest('[data-testid="board"]') ?? null, rootMargin: '0px 0px 240px 0px' },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [canLoadMore, cursor, loadMore]);

  const headingId = `column-${stage.id}-title`;
  return (
    <section className="column" aria-labelledby={headingId} data-testid="board-column" data-stage-id={stage.id}>
      <header className="column__header">
        <div className="column__title-row">
          <h2 className="column__title" id={headingId} dir="auto">
            {stage.name}
          </h2>
          <span className="column__count" data-testid="column-count">
            {t('board.column.deals', { count: column.count })}
          </span>
        </div>
        <p className="column__probability">{t('board.column.probability', { value: stage.probability })}</p>
        {column.totals.length === 0 && <p className="column__totals column__totals--none">{t('board.column.noTotal')}</p>}
        {/* A list of totals per currency, each its own description list of total and weighted total. */}
        <div className="column__totals">
          {column.totals.map((total) => (
            <dl key={total.currency} className="column__total-group">
              <div className="column__total">
                <dt>{t('board.column.total')}</dt>
                <dd title={i18n.money(total.amount_minor, total.currency)}>{i18n.compactMoney(total.amount_minor, total.currency)}</dd>
              </div>
              <div className="column__total column__total--weighted">
                <dt>{t('board.column.weighted')}</dt>
                <dd title={i18n.money(total.weighted_amount_minor, total.currency)}>{i18n.compactMoney(total.weighted_amount_minor, total.currency)}</dd>
              </div>
            </dl>
          ))}
        </div>
        <button
          type="button"
          className="column__add"
          onClick={() => onAddDeal(stage.id)}
          aria-label={t('board.addDealTo', { stage: stage.name })}
          tabIndex={tabbable === addButtonKey(stage.id) ? 0 : -1}
          {...{ [navAttribute]: addButtonKey(stage.id) }}
        >
          <span aria-hidden="true">+</span>
        </button>
      </header>
      <Droppable droppableId={stage.id}>
        {(provided, snapshot) => (
          <div
            ref={(element) => {
              provided.innerRef(element);
              list.current = element;
            }}
            {...provided.droppableProps}
            className={`column__cards ${snapshot.isDraggingOver ? 'column__cards--over' : ''}`}
            data-testid="column-cards"
          >
            <CardList
              deals={column.deals}
              count={rendered}
              column={column}
              i18n={i18n}
              members={members}
              customerNames={customerNames}
              onAction={onAction}
              selection={selection}
              tabbableId={tabbable}
            />
            {provided.placeholder}
            {column.deals.length === 0 && !snapshot.isDraggingOver && (
              <p className="column__empty">{filtered ? t('board.column.emptyFiltered') : t('board.column.empty')}</p>
            )}
            <div ref={sentinel} className="column__sentinel" aria-hidden="true" />
            {cursor !== null && rendered >= column.deals.length && (
              <div className="column__more">
                {loadMore.isPending ? (
                  <Spinner label={t('board.column.loadingMore')} />
                ) : (
                  <>
                    {loadMore.isError && <p className="column__more-error">{t('board.column.loadMoreFailed')}</p>}
                    <Button size="sm" variant="ghost" onClick={() => loadMore.mutate(cursor)}>
                      {loadMore.isError ? t('common.retry') : t('board.column.loadMore')}
                    </Button>
                  </>
                )}
                <p className="column__shown">{t('board.column.shown', { shown: column.deals.length, count: column.count })}</p>
              </div>
            )}
          </div>
        )}
      </Droppable>
    </section>
  );
});

/** The cards alone, memoized so that a drag moving over the column does not re-render them. */
const CardList = memo(function CardList({
  deals,
  count,
  column,
  i18n,
  members,
  customerNames,
  onAction,
  selection,
  tabbableId,
}: {
  deals: Card[];
  /** How many of the deals to render, from the top (see useProgressiveCount). */
  count: number;
  column: Column;
  i18n: I18n;
  members: Map<string, User> | null;
  customerNames: Map<string, string>;
  onAction: (deal: Card, action: CardAction) => void;
  selection: CardSelection | undefined;
  tabbableId: string | null;
}) {
  return deals.slice(0, count).map((deal, index) => (
    <Draggable key={deal.id} draggableId={deal.id} index={index} isDragDisabled={deal.status !== 'open' || selection !== undefined}>
      {(provided, snapshot) => (
        <DealCard
          deal={deal}
          stage={column.stage}
          ownerName={members ? (members.get(deal.owner_id)?.name ?? null) : undefined}
          customer={customerOf(deal, customerNames, i18n.t('customerPage.separator'))}
          i18n={i18n}
          provided={provided}
          snapshot={snapshot}
          onAction={onAction}
          selected={selection?.isSelected(deal.id)}
          onSelect={selection?.toggle}
          tabbable={deal.id === tabbableId}
        />
      )}
    </Draggable>
  ));
});

/** "Sara Ahmadi · Pars Logistics": the card's contact and organization, as the board names them. */
function customerOf(deal: Card, names: Map<string, string>, separator: string): string | null {
  const parts = [deal.contact_id, deal.organization_id].flatMap((id) => (id && names.has(id) ? [names.get(id)!] : []));
  return parts.length > 0 ? parts.join(separator) : null;
}
