import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AskRequest, SearchRequest } from '../shared/protocol';
import type { AnswerWire, EarlierTurnWire, SourceWire } from '../shared/types';
import { splitMentions, type TextPiece } from '../shared/citationGrammar';
import type { AnswerStreams } from './answerStreams';
import { StreamedCitations } from './streamedCitations';

/**
 * `@sourceline` in the editor's chat (Copilot Chat): Sourceline's retrieval and checked citations,
 * written by the model the user picked there (`request.model`). `/ask` (the default) answers,
 * `/style` writes in the codebase's house style, `/search` lists ranked ranges. Follow-ups carry the
 * conversation (`context.history`).
 */
export const PARTICIPANT_ID = 'sourceline.participant';

function location(file: string, startLine: number, endLine: number): vscode.Location {
  return new vscode.Location(vscode.Uri.file(file), new vscode.Range(Math.max(0, startLine - 1), 0, Math.max(0, endLine - 1), Number.MAX_SAFE_INTEGER));
}

/** The conversation of `@sourceline` so far: each request with the text of its response and the files it anchored. */
export function earlierTurns(history: vscode.ChatContext['history']): EarlierTurnWire[] {
  const out: EarlierTurnWire[] = [];
  let question: string | null = null;
  for (const turn of history) {
    if (turn instanceof vscode.ChatRequestTurn) {
      question = turn.participant === PARTICIPANT_ID ? turn.prompt : null;
    } else if (turn instanceof vscode.ChatResponseTurn && question !== null && turn.participant === PARTICIPANT_ID) {
      let answer = '';
      const sources = new Set<string>();
      for (const part of turn.response) {
        if (part instanceof vscode.ChatResponseMarkdownPart) answer += part.value.value;
        else if (part instanceof vscode.ChatResponseAnchorPart) {
          const uri = part.value instanceof vscode.Location ? part.value.uri : part.value instanceof vscode.Uri ? part.value : null;
          if (uri !== null) {
            sources.add(vscode.workspace.asRelativePath(uri));
            answer += part.title ?? vscode.workspace.asRelativePath(uri);
          }
        }
      }
      out.push({ question, answer, sources: [...sources] });
      question = null;
    }
  }
  return out;
}

/** Writes pieces of answer text to the chat: citations as anchors that open the lines. */
function writePieces(stream: vscode.ChatResponseStream, pieces: readonly TextPiece[], sources: readonly SourceWire[]): void {
  for (const p of pieces) {
    if (p.type === 'text') {
      stream.markdown(p.text);
      continue;
    }
    if (p.type === 'cite') {
      for (const n of p.ns) {
        const s = sources.find((x) => x.n === n);
        if (s === undefined) stream.markdown(`[${n}]`);
        else stream.anchor(location(s.file, s.startLine, s.endLine), `${s.path}:${s.startLine}-${s.endLine}`);
      }
      continue;
    }
    const s = sources.find((x) => x.path === p.path);
    if (s === undefined) stream.markdown(p.text);
    else stream.anchor(location(s.file, p.startLine, p.endLine), p.text);
  }
}

async function search(client: LanguageClient, query: string, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  if (query.trim() === '') {
    stream.markdown('Say what to find: `/search where are sessions refreshed`, or a symbol name.');
    return {};
  }
  stream.progress('Searching the index…');
  const { results, degraded } = await client.sendRequest(SearchRequest, { query, limit: 10 }, token);
  if (results.length === 0) {
    stream.markdown(`Nothing in the index matches “${query}”.`);
    return {};
  }
  if (degraded !== null) stream.markdown(`_${degraded}_\n\n`);
  results.forEach((r, i) => {
    stream.markdown(`${i + 1}. `);
    stream.anchor(location(r.file, r.startLine, r.endLine), `${r.path}:${r.startLine}-${r.endLine}`);
    stream.markdown(`${r.symbol === '' ? '' : ` \`${r.symbol.split(', ')[0] ?? r.symbol}\``} — found by ${r.sources.join(' + ')}\n`);
  });
  return {};
}

export function registerParticipant(context: vscode.ExtensionContext, client: LanguageClient, streams: AnswerStreams): vscode.Disposable {
  // An editor without a chat (older, or built without one) has no participants to register.
  if (typeof vscode.chat?.createChatParticipant !== 'function') return new vscode.Disposable(() => undefined);
  let counter = 0;
  const handler: vscode.ChatRequestHandler = async (request, chatContext, stream, token) => {
    if (request.command === 'search') return search(client, request.prompt, stream, token);
    const id = `participant-${Date.now().toString(36)}-${++counter}`;
    const question = request.command === 'style' ? `/style ${request.prompt}` : request.prompt;
    const citations = new StreamedCitations();
    let sources: readonly SourceWire[] = [];
    let streamed = false;
    stream.progress('Searching the index…');
    const listening = streams.listen(id, {
      onSources: (s) => {
        sources = s;
        stream.progress(`Found ${s.length} sources; asking ${request.model.name}…`);
      },
      onDelta: (text) => {
        streamed = true;
        writePieces(stream, citations.push(text), sources);
      },
    });
    let answer: AnswerWire;
    try {
      answer = await client.sendRequest(AskRequest, { id, question, history: earlierTurns(chatContext.history), editorModel: { id: request.model.id, label: `${request.model.vendor}/${request.model.family}` } }, token);
    } catch (error) {
      // The index not open yet, a stop, a server failure: said in the chat, with what to do.
      if (token.isCancellationRequested) return {};
      return { errorDetails: { message: `Sourceline could not answer: ${error instanceof Error ? error.message : String(error)} (see the Sourceline output channel).` } };
    } finally {
      listening.dispose();
    }
    if (streamed) writePieces(stream, citations.flush(), answer.sources);
    // No model text streamed (sources only, or the model failed): the answer as the engine wrote it.
    else writePieces(stream, splitMentions(answer.answer), answer.sources);
    const checked = answer.citations.filter((c) => c.status === 'ok' || c.status === 'moved');
    for (const c of checked) stream.reference(location(c.file, c.movedTo?.startLine ?? c.startLine, c.movedTo?.endLine ?? c.endLine));
    const claims = answer.claims;
    if (claims !== undefined && claims.total > 0) stream.markdown(`\n\n_${claims.cited} of ${claims.total} claims cite lines that exist as quoted._`);
    if (answer.fallback !== null && answer.fallback !== 'stopped by the user') stream.button({ command: 'workbench.action.openSettings', arguments: ['sourceline.models'], title: 'Open Sourceline Model Settings' });
    return { metadata: { route: answer.route.role, model: answer.route.model } };
  };
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, handler);
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.png');
  return participant;
}
