/**
 * The little of the browser's DOM that the page tests read inside page.evaluate. The tests compile
 * without the DOM library (the app runs in Node), so these say what that code relies on.
 */
export interface DomRect {
  top: number;
  bottom: number;
  right: number;
  width: number;
}

export interface DomElement {
  id: string;
  tagName: string;
  /** Text on an HTML element, an SVGAnimatedString on an SVG one. */
  className: string | { baseVal: string; toString(): string };
  innerText: string;
  /** Form controls only. */
  type?: string;
  name?: string;
  classList: { contains(name: string): boolean };
  offsetParent: DomElement | null;
  scrollWidth: number;
  clientWidth: number;
  ownerDocument: DomDocument;
  getBoundingClientRect(): DomRect;
  closest(selector: string): DomElement | null;
  querySelector(selector: string): DomElement | null;
  insertAdjacentHTML(position: string, html: string): void;
}

export interface DomDocument {
  documentElement: DomElement;
  activeElement: DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

/** The page's window, as globalThis inside page.evaluate. */
export interface BrowserWindow {
  document: DomDocument;
  innerWidth: number;
  innerHeight: number;
}
