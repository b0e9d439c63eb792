import { useEffect, useState } from 'preact/hooks';

/** The phone layout's breakpoint (styles.css has the same). */
export const PHONE_QUERY = '(max-width: 720px)';

/** Whether `query` matches now, following it as the window changes. */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setMatches(list.matches);
    update();
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return matches;
}
