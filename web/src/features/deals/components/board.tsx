import { cspNonce } from '../../../lib/csp-nonce';
import { DragDropContext, type DragStart, type DragUpdate, type DropResult, type ResponderProvided } from '@hello-pangea/dnd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Board as BoardData, Card, User } from '../../../lib/api/types';
import type { I18n } from '../../../lib/i18n/use-i18n';
import type { BoardQueryKey } from '../api/board';
import { type MissingFieldsRequest, useMoveDeal } from '../api/move-deal';
import { holdRemoteChanges, releaseRemoteChanges } from '../api/remote-deals';
import { navAttribute, useBoardNavigation } from '../hooks/use-board-navigation';
import { useOffscreenColumns } from '../hooks/use-offscreen-columns';
import { navigationGrid } from '../utils/board-navigation';
import { isSameLocation } from '../utils/drop-neighbours';
import { BoardColumn } from './board-column';
import './board.css';
import type { CardAction } from './deal-card';

interface BoardProps {
  board: BoardData;
  boardKey: BoardQueryKey;
  i18n: I18n;
  members: Map<string, User> | null;
  filtered: boolean;
  onAction: (deal: Card, action: CardAction) => void;
  onAddDeal: (stageId: string) => void;
  /** Select mode: the cards carry checkboxes for bulk actions and do not drag. */
  selection?: CardSelection | undefined;
  /** A drop into a stage that requires fields the deal lacks: the screen asks for them. */
  onMissingFields?: ((request: MissingFieldsRequest) => void) | undefined;
}

/** The cards picked for a bulk action (the app's selection, seen from the board). */
export interface CardSelection {
  isSelected: (id: string) => boolean;
  /** `range`: shift was held, so every card from the last one toggled changes too. */
  toggle: (id: string, range?: boolean) => void;
}

/**
 * The columns and the drag-and-drop context. The callbacks stay thin: where a card may go and
 * what to send are decided by the pure functions in utils/, and the move itself by useMoveDeal.
 * Screen-reader announcements are translated; the columns' visual order follows the document
 * direction, so in Persian the first stage is on the right. The board scrolls in its own area,
 * with a button at each edge that says how many stages lie beyond it; the arrow keys move
 * between columns and cards (see useBoardNavigation).
 */
export function Board({ board: live, boardKey, i18n, members, filtered, onAction, onAddDeal, selection, onMissingFields }: BoardProps) {
  const { t } = i18n;
  const { move } = useMoveDeal(boardKey, t, onMissingFields);
  // While a card is being dragged the board holds still: a background refetch landing mid-drag
  // would move the cards under the user's hand. The drop applies the move to the live board.
  const [frozen, setFrozen] = useState<BoardData | null>(null);
  const board = frozen ?? live;
  // Others' changes wait in a queue during a drag too, so the move is sent with the version the
  // user dragged; a board that goes away mid-drag lets them through.
  useEffect(() => releaseRemoteChanges, []);
  // The board names each card's contact and organization (only ids are on the deals).
  const customerNames = useMemo(
    () => new Map([...(board.contacts ?? []), ...(board.organizations ?? [])].map((linked) => [linked.id, linked.name] as const)),
    [board.contacts, board.organizations],
  );

  const scroller = useRef<HTMLDivElement>(null);
  const offscreen = useOffscreenColumns(scroller, board.columns.length);
  const grid = useMemo(() => navigationGrid(board.columns), [board.columns]);
  const navigation = useBoardNavigation(grid);
  const tabbableIn = (column: (typeof board.columns)[number]) =>
    navigation.tabbable !== null && grid[board.columns.indexOf(column)]?.includes(navigation.tabbable) ? navigation.tabbable : null;

  // A card moved by keyboard lands in another column as a new element, once the move is applied:
  // the focus follows it there, so the arrows go on from where it now is.
  const pendingFocus = useRef<{ dealId: string; stageId: string } | null>(null);
  useEffect(() => {
    const pending = pendingFocus.current;
    const area = scroller.current;
    if (!pending || !area) return;
    const handle = area.querySelector<HTMLElement>(`[data-stage-id="${CSS.escape(pending.stageId)}"] [${navAttribute}="${CSS.escape(pending.dealId)}"]`);
    if (!handle) return;
    pendingFocus.current = null;
    if (document.activeElement === null || document.activeElement === document.body) handle.focus();
  });

  const describe = useCallback(
    (dealId: string, stageId: string | undefined, index: number | undefined) => {
      const title = board.columns.flatMap((column) => column.deals).find((deal) => deal.id === dealId)?.title ?? '';
      const stage = board.columns.find((column) => column.stage.id === stageId)?.stage.name ?? '';
      return { title, stage, position: (index ?? 0) + 1 };
    },
    [board],
  );

  const onDragStart = useCallback(
    (start: DragStart, provided: ResponderProvided) => {
      setFrozen(live);
      holdRemoteChanges();
      provided.announce(t('board.dnd.lifted', describe(start.draggableId, start.source.droppableId, start.source.index)));
    },
    [describe, live, t],
  );

  const onDragUpdate = useCallback(
    (update: DragUpdate, provided: ResponderProvided) => {
      const { destination } = update;
      const where = describe(update.draggableId, destination?.droppableId, destination?.index);
      provided.announce(destination ? t('board.dnd.moving', where) : t('board.dnd.outside', where));
    },
    [describe, t],
  );

  const onDragEnd = useCallback(
    (result: DropResult, provided: ResponderProvided) => {
      const source = { stageId: result.source.droppableId, index: result.source.index };
      const destination = result.destination ? { stageId: result.destination.droppableId, index: result.destination.index } : null;
      setFrozen(null);
      if (result.reason === 'CANCEL' || isSameLocation(source, destination) || !destination) {
        releaseRemoteChanges();
        provided.announce(t('board.dnd.cancelled', describe(result.draggableId, source.stageId, source.index)));
        return;
      }
      provided.announce(t('board.dnd.dropped', describe(result.draggableId, destination.stageId, destination.index)));
      if (result.mode === 'SNAP' && destination.stageId !== source.stageId) pendingFocus.current = { dealId: result.draggableId, stageId: destination.stageId };
      // The neighbours are the cards the user saw around the drop point.
      const seen = board.columns.find((column) => column.stage.id === destination.stageId)?.deals.map((deal) => deal.id);
      move(result.draggableId, destination.stageId, destination.index, seen);
      // Only now, with the moved card's changes held until the server answers, do the others apply.
      releaseRemoteChanges();
    },
    [board, describe, move, t],
  );

  return (
    <DragDropContext
      nonce={cspNonce()}
      onDragStart={onDragStart}
      onDragUpdate={onDragUpdate}
      onDragEnd={onDragEnd}
      dragHandleUsageInstructions={t('board.dnd.instructions')}
    >
      <div className="board-area">
        <div
          ref={scroller}
          className={`board ${frozen ? 'board--dragging' : ''}`}
          data-testid="board"
          onKeyDown={navigation.onKeyDown}
          onFocus={navigation.onFocus}
        >
          <div className="board__columns">
            {board.columns.map((column) => (
              <BoardColumn
                key={column.stage.id}
                column={column}
                boardKey={boardKey}
                i18n={i18n}
                members={members}
                customerNames={customerNames}
                filtered={filtered}
                onAction={onAction}
                onAddDeal={onAddDeal}
                selection={selection}
                tabbable={tabbableIn(column)}
              />
            ))}
          </div>
        </div>
        {(['before', 'after'] as const).map(
          (side) =>
            offscreen[side] > 0 && (
              <button
                key={side}
                type="button"
                className={`board-more board-more--${side}`}
                data-testid={`board-more-${side}`}
                tabIndex={-1}
                onClick={() => offscreen.reveal(side)}
              >
                {t(`board.more.${side}`, { count: offscreen[side] })}
              </button>
            ),
        )}
      </div>
    </DragDropContext>
  );
}
