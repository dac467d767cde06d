import { memo } from 'react';
import type { DraggableProvided, DraggableStateSnapshot } from '@hello-pangea/dnd';
import { Menu, type MenuItem } from '../../../components/menu';
import type { Card, Stage } from '../../../lib/api/types';
import { daysSince, isRotting } from '../../../lib/format/dates';
import type { I18n } from '../../../lib/i18n/use-i18n';
import { initialsOf } from '../../../lib/members/use-members';
import { navAttribute } from '../hooks/use-board-navigation';
import { useRemoteHighlight } from '../hooks/use-remote-changes';
import './customer-links.css';
import './remote-change.css';

export type CardAction = 'open' | 'win' | 'lose' | 'reopen';

export interface DealCardProps {
  deal: Card;
  stage: Stage;
  /** The owner's name; null for a former member, undefined while members load. */
  ownerName: string | null | undefined;
  /** The contact and organization the deal is with, named; null when it has none. */
  customer?: string | null;
  i18n: I18n;
  provided: DraggableProvided;
  snapshot: DraggableStateSnapshot;
  onAction: (deal: Card, action: CardAction) => void;
  /** In select mode: whether the card is selected. */
  selected?: boolean | undefined;
  /** In select mode: select or unselect the card (`range` with shift held); a click on the card does it too. */
  onSelect?: ((id: string, range?: boolean) => void) | undefined;
  /** Whether the card is the board's one Tab stop (roving tabindex); the arrow keys reach the others. */
  tabbable?: boolean;
}

/** How many of a deal's tags its card shows; the rest are counted. */
const TAGS_ON_CARD = 2;

/**
 * A kanban card: title, first tags, amount, owner, days in the stage with a rotting mark past the stage's
 * rotting days, the next activity's date (marked overdue, by icon and word, once its day has passed
 * for the user), expected close date and status. The card body is the drag handle (space bar to
 * lift with the keyboard); Enter or a click opens the deal; the menu holds win, lose and reopen.
 */
export const DealCard = memo(function DealCard({
  deal,
  stage,
  ownerName,
  customer = null,
  i18n,
  provided,
  snapshot,
  onAction,
  selected,
  onSelect,
  tabbable = true,
}: DealCardProps) {
  const { t } = i18n;
  const days = daysSince(deal.stage_entered_at);
  const tags = deal.tags ?? [];
  const rotting = deal.status === 'open' && isRotting(deal.stage_entered_at, stage.rotting_days);
  // A card someone else just changed flashes briefly, so the eye finds what moved.
  const changedRemotely = useRemoteHighlight(deal.id);
  const owner = ownerName === undefined ? '' : (ownerName ?? t('board.card.unknownOwner'));
  const items: MenuItem[] = [{ label: t('board.card.openDetails'), onSelect: () => onAction(deal, 'open') }];
  if (deal.status === 'open') {
    items.push({ label: t('board.card.markWon'), onSelect: () => onAction(deal, 'win') });
    items.push({ label: t('board.card.markLost'), onSelect: () => onAction(deal, 'lose') });
  } else {
    items.push({ label: t('board.card.reopen'), onSelect: () => onAction(deal, 'reopen') });
  }

  return (
    <div
      ref={provided.innerRef}
      {...provided.draggableProps}
      className={`card card--${deal.status} ${rotting ? 'card--rotting' : ''} ${snapshot.isDragging ? 'card--dragging' : ''} ${onSelect ? 'card--selectable' : ''} ${selected ? 'card--selected' : ''} ${changedRemotely ? 'card--remote' : ''}`}
      data-testid="deal-card"
      data-deal-id={deal.id}
    >
      {onSelect && (
        <input
          type="checkbox"
          className="card__select"
          aria-label={t('bulk.selectRow', { name: deal.title })}
          checked={Boolean(selected)}
          // The click (not the change) carries the shift key; the keyboard's space bar clicks too.
          onClick={(event) => onSelect(deal.id, event.shiftKey)}
          onChange={() => undefined}
        />
      )}
      <div
        {...provided.dragHandleProps}
        tabIndex={tabbable ? 0 : -1}
        {...{ [navAttribute]: deal.id }}
        className="card__handle"
        onClick={(event) => (onSelect ? onSelect(deal.id, event.shiftKey) : onAction(deal, 'open'))}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !snapshot.isDragging) onAction(deal, 'open');
        }}
      >
        <p className="card__title" dir="auto">
          {deal.title}
        </p>
        {customer && (
          <p className="card__customer" dir="auto" title={t('customerPage.card.with', { names: customer })} data-testid="card-customer">
            {customer}
          </p>
        )}
        {tags.length > 0 && (
          <p className="card__tags" title={t('board.card.tags', { tags: tags.join(t('common.listSeparator')) })} data-testid="card-tags">
            {tags.slice(0, TAGS_ON_CARD).map((tag) => (
              <span key={tag} className="card__tag" dir="auto">
                {tag}
              </span>
            ))}
            {tags.length > TAGS_ON_CARD && (
              <span className="card__tag card__tag--more" dir="ltr">
                {t('board.card.moreTags', { count: tags.length - TAGS_ON_CARD })}
              </span>
            )}
          </p>
        )}
        <p className="card__amount">{i18n.money(deal.amount_minor, deal.currency)}</p>
        <div className="card__meta">
          {owner && (
            <>
              <span className="avatar" aria-hidden="true">
                {initialsOf(owner)}
              </span>
              <span className="card__owner" title={t('board.card.owner', { name: owner })}>
                {owner}
              </span>
            </>
          )}
          <span className="card__age" title={t('board.card.daysInStage', { count: days })}>
            {rotting && <span className="rotting-mark" role="img" aria-label={t('board.card.rotting', { days: stage.rotting_days ?? 0 })} />}
            <span aria-hidden="true">{t('board.card.daysShort', { count: days })}</span>
            <span className="visually-hidden">{t('board.card.daysInStage', { count: days })}</span>
          </span>
        </div>
        {(deal.next_activity_at || deal.expected_close_date || deal.status !== 'open') && (
          <div className="card__footer">
            {deal.next_activity_at && <NextActivity at={deal.next_activity_at} overdue={deal.overdue ?? false} i18n={i18n} />}
            {deal.expected_close_date && (
              <span className="card__date" title={t('board.card.closes', { date: i18n.date(deal.expected_close_date) })}>
                {i18n.shortDate(deal.expected_close_date)}
              </span>
            )}
            {deal.status !== 'open' && <span className={`badge badge--${deal.status}`}>{t(`board.card.${deal.status}`)}</span>}
          </div>
        )}
      </div>
      <div className="card__menu">
        <Menu label={t('board.card.actions', { title: deal.title })} items={items} trigger={<span aria-hidden="true">⋯</span>} tabIndex={tabbable ? 0 : -1} />
      </div>
    </div>
  );
});

/**
 * The next activity's short date, with a clock; overdue, a chip with "!" and the word (never
 * colour alone). Screen readers hear one sentence; the title gives the full date and time.
 */
function NextActivity({ at, overdue, i18n }: { at: string; overdue: boolean; i18n: I18n }) {
  const { t } = i18n;
  const sentence = (date: string) => t(overdue ? 'board.card.overdueActivity' : 'board.card.nextActivity', { date });
  const date = i18n.shortDate(at);
  return (
    <span
      className={`card__next ${overdue ? 'card__next--overdue' : ''}`}
      title={sentence(i18n.dateTime(at))}
      data-testid={overdue ? 'card-overdue' : 'card-next-activity'}
    >
      <span className="card__next-icon" aria-hidden="true">
        {overdue ? '!' : '◷'}
      </span>
      <span aria-hidden="true">{overdue ? `${t('board.card.overdue')} · ${date}` : date}</span>
      <span className="visually-hidden">{sentence(date)}</span>
    </span>
  );
}
