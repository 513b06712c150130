import { absoluteFile } from '../paths';
import type { AnswerReportWire, SourceWire } from '../../shared/types';
import { bestSnippet } from '../retrieve/snippet';
import type { Answer, NumberedSource } from './types';

/** A source as its readers see it: where, what, why it was found, and its lines that best match the question. */
export function sourceReport(s: NumberedSource, question: string): SourceWire {
  return {
    n: s.n, path: s.path, file: absoluteFile(s.rootPath, s.relPath), startLine: s.startLine, endLine: s.endLine, symbol: s.symbol,
    foundBy: s.foundBy, score: Number(s.score.toFixed(6)), snippet: bestSnippet(s.text, s.startLine, question).text,
  };
}

/**
 * An answer as data for its readers — `sourceline ask --json` and the chat panel: the text, the
 * route and why, every citation with its check, the sources and why each was found, the score.
 */
export function answerReport(answer: Answer, withPrompt: boolean): AnswerReportWire {
  return {
    answer: answer.text,
    route: { role: answer.route.role, model: answer.route.model, reason: answer.route.reason },
    citations: answer.citations.map((c) => ({
      n: c.n, path: c.path, file: c.file, startLine: c.startLine, endLine: c.endLine, status: c.status, detail: c.detail,
      ...(c.movedTo === undefined ? {} : { movedTo: c.movedTo }),
    })),
    sources: answer.sources.map((s) => sourceReport(s, answer.question)),
    groundedness: answer.groundedness,
    unsupported: answer.sentences.filter((s) => !s.supported).map((s) => s.sentence),
    claims: { total: answer.sentences.length, cited: answer.sentences.filter((s) => s.supported).length },
    fallback: answer.fallback,
    ...(withPrompt && answer.prompt !== null ? { prompt: answer.prompt.messages } : {}),
  };
}
