/** The slice of hbs (Handlebars for express; it ships no types) that the pages use. */
declare module 'hbs' {
  type RenderCallback = (error: Error | null, html?: string) => void;

  interface HbsInstance {
    __express: (path: string, options: object, callback: RenderCallback) => void;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each helper names the arguments its templates pass
    registerHelper(name: string, helper: (...args: any[]) => unknown): void;
    registerPartial(name: string, template: string): void;
    handlebars: { SafeString: new (html: string) => { toString(): string }; Utils: { escapeExpression(value: unknown): string } };
  }

  const hbs: HbsInstance & { create(): HbsInstance };
  export = hbs;
}
