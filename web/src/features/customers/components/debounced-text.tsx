import { useEffect, useRef, useState } from 'react';

/**
 * A text filter applied a moment after the user pauses typing (or at once on Enter); it follows
 * the URL when that changes under it (back button, "clear filters").
 */
export function DebouncedText({
  value,
  onCommit,
  label,
  placeholder,
  name,
  type = 'search',
  inputMode,
  className,
}: {
  value: string;
  onCommit: (text: string) => void;
  label: string;
  placeholder?: string;
  name: string;
  type?: 'search' | 'text';
  inputMode?: 'numeric';
  className?: string;
}) {
  const [text, setText] = useState(value);
  const commit = useRef(onCommit);
  commit.current = onCommit;
  // Keeps what is being typed when the URL only catches up with it (a trailing space).
  useEffect(() => setText((current) => (current.trim() === value ? current : value)), [value]);
  useEffect(() => {
    if (text.trim() === value) return;
    const timer = setTimeout(() => commit.current(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text, value]);
  return (
    <label className={`customers-filters__${name} ${className ?? ''}`}>
      <span className="visually-hidden">{label}</span>
      <input
        className="input input--compact"
        type={type}
        name={name}
        value={text}
        placeholder={placeholder}
        inputMode={inputMode}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit.current(text.trim());
        }}
      />
    </label>
  );
}
