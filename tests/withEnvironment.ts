/**
 * Runs `body` with environment variables set (a value) or unset (`undefined`) in this process, and puts back
 * what they were afterwards, whether `body` succeeds or throws. For switches read when a process or pool starts
 * (`HYBRIDNET_SDK_CUTS`, `HYBRIDNET_WORKERS`, `NODE_EXTRA_CA_CERTS`).
 */
export async function withEnvironment<T>(
  variables: Record<string, string | undefined>,
  body: () => Promise<T>,
): Promise<T> {
  const before = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  const put = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  };
  put(variables);
  try {
    return await body();
  } finally {
    put(before);
  }
}
