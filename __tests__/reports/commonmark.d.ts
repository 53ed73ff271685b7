// Types for the commonmark package (a dependency of the toolchain, used by the Markdown escaping tests).
declare module "commonmark" {
  export class Parser {
    parse(text: string): unknown;
  }
  export class HtmlRenderer {
    render(node: unknown): string;
  }
}
