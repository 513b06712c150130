import { errorCode } from '../../../shared/errors';

/**
 * Why an endpoint could not be reached, in words a user can act on (fetch says "fetch failed" and
 * hides the reason in `cause`; some reasons, like "bad port", mean nothing without the standard).
 */
export function unreachableReason(error: unknown, baseUrl: string): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  const url = safeUrl(baseUrl);
  const host = url?.host ?? baseUrl;
  switch (errorCode(cause)) {
    case 'ECONNREFUSED':
      return `nothing is listening at ${host}: is the model server running, on that port?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host ${url?.hostname ?? host} was not found: check the base URL's spelling, or the network`;
    case 'ECONNRESET':
      return `${host} closed the connection: the server may have crashed or may expect ${url?.protocol === 'https:' ? 'http' : 'https'}`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connecting to ${host} timed out: check the address and any firewall`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_HAS_EXPIRED':
      return `${host}'s TLS certificate is not trusted (${message}): use its http:// address for a local server, or a trusted certificate`;
  }
  // The Fetch standard blocks some ports outright (6000, 6665-6669, 10080 …) and says only "bad port".
  if (message === 'bad port') return `port ${url?.port ?? '?'} is one that fetch refuses to connect to (blocked by the Fetch standard): run the model server on another port, such as 8080 or 11434`;
  return message;
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}
