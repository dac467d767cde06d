import { FormAlert } from './field';

/** A screen the caller's role may not open: its title and why, instead of an error. */
export function RefusedPage({ title, reason }: { title: string; reason: string }) {
  return (
    <main className="page page--narrow" id="main">
      <h1 className="page__title">{title}</h1>
      <FormAlert>{reason}</FormAlert>
    </main>
  );
}
