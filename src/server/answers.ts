import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import { ResponseError } from 'vscode-languageserver/node';
import { answerQuestion } from '../engine/answer/answerer';
import { draftCommitMessage, draftDocstring, type DocstringDraft } from '../engine/answer/houseStyle';
import { answerReport, sourceReport } from '../engine/answer/report';
import { Router } from '../engine/answer/router';
import type { Answer, NumberedSource } from '../engine/answer/types';
import type { Workspace } from '../engine/workspace';
import { AnswerDeltaNotification, AnswerSourcesNotification, AskRequest, DraftCommitMessageRequest, DraftDocstringRequest } from '../shared/protocol';
import type { AnswerKind, AnswerWire } from '../shared/types';
import { isRecord } from '../shared/guards';
import type { EarlierTurn } from '../engine/answer/conversation';
import type { EditorModels, Models } from './models';

export interface AnswerContext {
  readonly connection: Connection;
  readonly workspace: () => Workspace | null;
  readonly models: () => Models;
  /** The editor's models: `@sourceline` in Copilot Chat answers with the one picked there. */
  readonly editorModels: EditorModels;
  readonly toResponseError: (error: unknown) => ResponseError<void>;
}

/** Earlier turns as the client sent them, checked at the boundary: the last few, strings only, bounded. */
function earlierTurns(value: unknown): EarlierTurn[] {
  if (!Array.isArray(value)) return [];
  return value.slice(-MAX_EARLIER_TURNS).flatMap((t: unknown): EarlierTurn[] => {
    if (!isRecord(t) || typeof t['question'] !== 'string' || typeof t['answer'] !== 'string') return [];
    const sources = Array.isArray(t['sources']) ? t['sources'].filter((p): p is string => typeof p === 'string').slice(0, 20) : [];
    return [{ question: t['question'].slice(0, 4000), answer: t['answer'].slice(0, 8000), sources }];
  });
}

const MAX_EARLIER_TURNS = 6;

interface Streaming {
  readonly signal: AbortSignal;
  readonly onDelta: (text: string) => void;
  readonly onSources: (sources: readonly NumberedSource[], question: string) => void;
}

type Run<A extends Answer> = (ws: Workspace, streaming: Streaming) => Promise<A>;

/**
 * The answer requests: each streams its text as `sourceline/answerDelta` pieces, resolves with the
 * checked answer and what the model was given, and stops (aborting the model's request) when the
 * client cancels.
 */
export function registerAnswers(ctx: AnswerContext): void {
  let router: { for: Workspace; router: Router } | null = null;
  const routerFor = (ws: Workspace): Router => {
    if (router === null || router.for !== ws) router = { for: ws, router: new Router(ws.embedder) };
    return router.router;
  };

  /** `kindOf` says what the answer is for; a draft's kind carries what applying it needs. */
  const answer = async <A extends Answer>(id: string, kindOf: (result: A) => AnswerKind, token: CancellationToken, run: Run<A>): Promise<AnswerWire | ResponseError<void>> => {
    const ws = ctx.workspace();
    if (ws === null) return new ResponseError(1, 'The index is not open yet: wait for "Sourceline: ready" in the status bar.');
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      const result = await run(ws, {
        signal: controller.signal,
        onDelta: (text) => void ctx.connection.sendNotification(AnswerDeltaNotification, { id, text }),
        onSources: (sources, question) => void ctx.connection.sendNotification(AnswerSourcesNotification, { id, sources: sources.map((s) => sourceReport(s, question)) }),
      });
      return { ...answerReport(result, true), id, question: result.question, kind: kindOf(result) };
    } catch (error) {
      return ctx.toResponseError(error);
    } finally {
      cancel.dispose();
    }
  };

  /** The one place models are withheld (an untrusted workspace): no model at all for any request. */
  const providers = (): { knowledge: Models['knowledge']; houseStyle: Models['houseStyle'] } => {
    const m = ctx.models();
    return m.withheld === null ? { knowledge: m.knowledge, houseStyle: m.houseStyle } : { knowledge: null, houseStyle: null };
  };

  ctx.connection.onRequest(AskRequest, (params, token) => {
    const focus = params.focus;
    const history = earlierTurns(params.history);
    const picked = isRecord(params.editorModel) && typeof params.editorModel['id'] === 'string' && typeof params.editorModel['label'] === 'string' ? params.editorModel : null;
    return answer(String(params.id), () => ({ type: 'ask' }), token, (ws, streaming) => {
      const withheld = ctx.models().withheld;
      return answerQuestion(ws, {
        question: String(params.question), router: routerFor(ws), ...providers(), ...streaming,
        // Untrusted: no model at all, the picked one included.
        ...(picked === null || withheld !== null ? {} : { knowledge: ctx.editorModels.provider(String(picked['label']), String(picked['id'])) }),
        // The sources-only answer says why no model answered.
        ...(withheld === null ? {} : { noModelNote: withheld }),
        ...(focus === undefined ? {} : { focus: { absPath: String(focus.file), startLine: Number(focus.startLine), endLine: Number(focus.endLine) } }),
        history,
      });
    });
  });

  ctx.connection.onRequest(DraftDocstringRequest, (params, token) =>
    answer(String(params.id), (draft: DocstringDraft) => ({ type: 'docstring', file: String(params.file), line: Number(params.line), placement: draft.placement, symbol: draft.symbol }), token, (ws, streaming) =>
      draftDocstring(ws, { absPath: String(params.file), line: Number(params.line), text: String(params.text) }, { ...providers(), ...streaming }),
    ),
  );

  ctx.connection.onRequest(DraftCommitMessageRequest, (params, token) =>
    answer(String(params.id), () => ({ type: 'commitMessage', root: String(params.root) }), token, (ws, streaming) => draftCommitMessage(ws, String(params.root), { ...providers(), ...streaming })),
  );
}
