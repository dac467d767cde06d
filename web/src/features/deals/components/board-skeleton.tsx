import { Skeleton } from '../../../components/states';

const cardsPerColumn = [4, 3, 5, 2, 3];

/** The board's shape while it loads, so nothing jumps when it arrives. */
export function BoardSkeleton({ label }: { label: string }) {
  return (
    <div className="board board--loading" aria-busy="true" aria-label={label} data-testid="board-skeleton">
      <div className="board__columns">
        {cardsPerColumn.map((cards, column) => (
          <div className="column" key={column}>
            <div className="column__header">
              <Skeleton className="skeleton--title" />
              <Skeleton className="skeleton--line" />
            </div>
            <div className="column__cards">
              {Array.from({ length: cards }, (_, card) => (
                <Skeleton key={card} className="skeleton--card" />
              ))}
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
