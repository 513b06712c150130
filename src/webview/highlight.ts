import { common, createLowlight } from 'lowlight';
import type { ElementContent, RootContent } from 'hast';

/**
 * Syntax highlighting of chat code blocks (highlight.js grammars through lowlight): lowlight gives a
 * tree, which becomes spans built with textContent (no HTML strings). Unknown or unnamed languages
 * stay plain: guessing costs a pass of every grammar over every streamed frame.
 */
const lowlight = createLowlight(common);

function append(parent: HTMLElement, nodes: ReadonlyArray<RootContent | ElementContent>): void {
  for (const node of nodes) {
    if (node.type === 'text') {
      parent.append(document.createTextNode(node.value));
    } else if (node.type === 'element') {
      const span = document.createElement('span');
      const classes = node.properties['className'];
      if (Array.isArray(classes)) span.className = classes.filter((c): c is string => typeof c === 'string').join(' ');
      append(span, node.children);
      parent.append(span);
    }
  }
}

/** Fills `code` with `text`, highlighted when the language is one the grammars know. */
export function highlightInto(code: HTMLElement, text: string, language: string): void {
  if (language === '' || !lowlight.registered(language)) {
    code.textContent = text;
    return;
  }
  append(code, lowlight.highlight(language, text).children);
  code.classList.add('hljs');
}
