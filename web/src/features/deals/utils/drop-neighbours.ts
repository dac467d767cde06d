/**
 * Which neighbours to send with `POST /deals/{id}/move` for a drop. The API places the card
 * between `before_id` (the card that will sit just above it) and `after_id` (just below it); with
 * neither, it goes last. Only the loaded cards of a column are known; dropping below the last
 * loaded card sends it as `before_id` alone, and the server slots the card right after it, ahead
 * of any cards not loaded yet, which is exactly where the user saw it land.
 */
export interface DropNeighbours {
  before_id: string | null;
  after_id: string | null;
}

/**
 * @param targetColumnIds the target column's card ids in display order, as rendered when the drag
 *   started (they may include the dragged card when it is reordered within its own column)
 * @param draggedId the card being moved
 * @param index the drop index the drag-and-drop library reports: the card's index in the target
 *   column once it has been taken out of its source column
 */
export function dropNeighbours(targetColumnIds: readonly string[], draggedId: string, index: number): DropNeighbours {
  const others = targetColumnIds.filter((id) => id !== draggedId);
  const at = Math.max(0, Math.min(index, others.length));
  return { before_id: others[at - 1] ?? null, after_id: others[at] ?? null };
}

export interface DragLocation {
  stageId: string;
  index: number;
}

/** A drop back onto the place the card came from changes nothing and sends nothing. */
export function isSameLocation(source: DragLocation, destination: DragLocation | null | undefined): boolean {
  return destination == null || (destination.stageId === source.stageId && destination.index === source.index);
}
