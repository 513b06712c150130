import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The chat panel's page: a strict CSP (our script by nonce, our stylesheet, nothing remote, nothing
 * inline), landmarks for screen readers, and a question box whose placeholder names the folder.
 */
export function chatPage(webview: vscode.Webview, dist: vscode.Uri, media: vscode.Uri, workspaceName: string | undefined): string {
  const nonce = randomBytes(16).toString('base64');
  const placeholder = `Ask about ${workspaceName === undefined ? 'this codebase' : workspaceName.replace(/ \(Workspace\)$/, '')} (Enter to send, Shift+Enter for a new line)`;
  const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'chat.css'));
  // Strict CSP: our script by nonce, our stylesheet, nothing remote, no inline anything.
  const csp = `default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'; img-src ${webview.cspSource}; font-src ${webview.cspSource};`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Sourceline</title>
</head>
<body>
<header class="toolbar"><h2 id="conversation-title" class="conversation-title">New conversation</h2><span id="model-state" class="model-state" role="status"></span></header>
<section id="empty" class="empty" aria-label="Getting started">
<p>Ask about this codebase. Every answer cites the lines it comes from; click a citation to open it.</p>
<div id="offers" class="offers" hidden>
<p id="offers-why">No language model is set up, so answers are the matching sources only. To have them written out:</p>
<button id="offer-editor" type="button">Use the Editor's Model</button>
<button id="offer-endpoint" type="button" class="action-primary">Connect Ollama or Another Endpoint…</button>
<button id="offer-sources" type="button">Sources Only</button>
</div>
</section>
<main id="log" role="log" aria-label="Conversation"></main>
<form id="ask" class="composer">
<label for="question" class="visually-hidden">Question</label>
<textarea id="question" rows="3" placeholder="${escapeAttribute(placeholder)}"></textarea>
<div class="composer-buttons"><button id="send" type="submit">Ask</button><button id="stop" type="button" hidden>Stop</button></div>
</form>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
