// Debian's Chromium: Playwright's own browser download cannot work on these machines. Without
// the background-networking flags Chromium keeps dialling out and the closed network refuses it.
// *.test names reach loopback through the resolver rule.
export const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--host-resolver-rules=MAP *.test 127.0.0.1',
  ],
};
