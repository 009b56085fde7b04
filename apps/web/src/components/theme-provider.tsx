"use client";

import { ThemeProvider as NextThemesProvider, type ThemeProviderProps } from "next-themes";

/**
 * next-themes renders an inline `<script>` that sets the theme class before first paint. It only
 * needs to run from the server HTML; when React renders it on the client, React 19 logs "Encountered
 * a script tag while rendering React component". Marking the client copy as a data block
 * (`type="text/plain"`) silences that false positive; the script element already carries
 * `suppressHydrationWarning`, so the attribute difference does not cause a hydration error.
 */
const clientScriptProps =
  typeof window === "undefined" ? undefined : ({ type: "text/plain" } as const);

function ThemeProvider({ children, ...props }: ThemeProviderProps) {
  return (
    <NextThemesProvider
      attribute="class"
      defaultTheme="system"
      enableSystem
      disableTransitionOnChange
      scriptProps={clientScriptProps}
      {...props}
    >
      {children}
    </NextThemesProvider>
  );
}

export { ThemeProvider };
