// A small HTTP client for tests and benchmarks to set up and inspect data behind the UI's back.

/**
 * @param {string} baseUrl
 * @param {string | null} [token]
 */
export function apiClient(baseUrl, token = null) {
  /** @param {string} method @param {string} path @param {unknown} [body] @param {Record<string,string>} [headers] */
  const call = async (method, path, body, headers = {}) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return json;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body, headers) => call('POST', path, body, headers),
    patch: (path, body, headers) => call('PATCH', path, body, headers),
    put: (path, body, headers) => call('PUT', path, body, headers),
    withToken: (accessToken) => apiClient(baseUrl, accessToken),
  };
}

/** Signs up a fresh workspace and returns its tokens and an authenticated client. */
export async function signUpWorkspace(baseUrl, { email, password = 'correct-horse-battery', name = 'Test Admin', workspace = 'Test Co', currency = 'USD' }) {
  const pair = await apiClient(baseUrl).post('/auth/signup', { workspace_name: workspace, name, email, password, default_currency: currency });
  return { pair, api: apiClient(baseUrl, pair.access_token) };
}
