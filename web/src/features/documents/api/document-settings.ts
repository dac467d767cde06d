import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, readProblem, unwrap } from '../../../lib/api/api-error';
import { api, authFetch, ifMatch } from '../../../lib/api/client';
import type { DocumentSettings, UpdateDocumentSettingsInput } from '../../../lib/api/types';

export const documentSettingsKey = ['document-settings'] as const;
const logoKey = [...documentSettingsKey, 'logo'] as const;

/** The workspace's document settings (the defaults, at version 0, until first saved). */
export function useDocumentSettings() {
  return useQuery({
    queryKey: documentSettingsKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/workspace/documents', { signal })),
  });
}

/** Saves what changed at the version read (0 before the first save). */
export function useUpdateDocumentSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ version, changes }: { version: number; changes: UpdateDocumentSettingsInput }) =>
      unwrap(await api.PATCH('/api/v1/workspace/documents', { params: { header: ifMatch(version) }, body: changes })),
    onSuccess: (settings) => queryClient.setQueryData(documentSettingsKey, settings),
  });
}

/** The largest logo the server takes. */
export const logoMaxBytes = 256 * 1024;
export const logoTypes = ['image/png', 'image/jpeg'] as const;

/**
 * Sets the logo: the image itself is the body, sent through the authenticated fetch (the typed
 * client has no way to send a file as it is).
 */
export function useUploadLogo() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      const url = new URL('/api/v1/workspace/documents/logo', window.location.origin);
      const response = await authFetch(new Request(url, { method: 'PUT', headers: { 'content-type': file.type }, body: file }));
      if (!response.ok) throw new ApiError(response.status, await readProblem(response));
      return (await response.json()) as DocumentSettings;
    },
    onSuccess: (settings) => {
      queryClient.setQueryData(documentSettingsKey, settings);
      void queryClient.invalidateQueries({ queryKey: logoKey });
    },
  });
}

export function useRemoveLogo() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.DELETE('/api/v1/workspace/documents/logo')),
    onSuccess: (settings) => {
      queryClient.setQueryData(documentSettingsKey, settings);
      queryClient.removeQueries({ queryKey: logoKey });
    },
  });
}

/** A blob as a `data:` URL: the page's Content-Security-Policy lets images come from `data:`, not from `blob:`. */
function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable image'));
    reader.readAsDataURL(blob);
  });
}

/**
 * The current logo for an `<img>`, read with the access token (a plain URL could not send it) as
 * a `data:` URL (at most 256 KiB), read again after each change of the settings' version.
 */
export function useLogoUrl(settings: DocumentSettings | undefined): string | null {
  const logo = useQuery({
    queryKey: [...logoKey, settings?.version ?? 0],
    enabled: settings?.has_logo === true,
    queryFn: async ({ signal }) => {
      const url = new URL('/api/v1/workspace/documents/logo', window.location.origin);
      const response = await authFetch(new Request(url, { signal }));
      if (!response.ok) throw new ApiError(response.status, await readProblem(response));
      return dataUrlOf(await response.blob());
    },
  });
  return settings?.has_logo ? (logo.data ?? null) : null;
}
