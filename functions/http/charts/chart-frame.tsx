import type { Child } from 'hono/jsx';

/**
 * The frame every server-drawn chart shares: an SVG of the given size that names itself by its title and its
 * description (so a screen reader reads both), in the page's font.
 */
export function ChartFrame(props: {
  width: number;
  height: number;
  titleId: string;
  fontSize: number;
  title: Child;
  description: Child;
  children?: Child;
}) {
  const descId = `${props.titleId}-desc`;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${props.width} ${props.height}`}
      width={props.width}
      height={props.height}
      role="img"
      aria-labelledby={`${props.titleId} ${descId}`}
      font-family="system-ui, 'Noto Sans CJK SC', sans-serif"
      font-size={String(props.fontSize)}
    >
      <title id={props.titleId}>{props.title}</title>
      <desc id={descId}>{props.description}</desc>
      {props.children}
    </svg>
  );
}
