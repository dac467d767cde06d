import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { unwrap } from '../../../lib/api/api-error';
import { api, ifMatch } from '../../../lib/api/client';
import type { Product } from '../../../lib/api/types';
import { saveFile } from '../../../lib/save-file';

/** The key the deal drawer's product picker reads the catalogue under too. */
const productsKey = ['products'] as const;

/** The catalogue, newest first: the first 200 products, archived ones too. */
export function useProductList() {
  const query = useQuery({
    queryKey: productsKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/api/v1/products', { params: { query: { limit: 200 } }, signal })),
    select: (list) => list.data,
  });
  return { ...query, products: query.data ?? [] };
}

export type ProductInput = {
  name: string;
  sku: string;
  unit: string | null;
  unit_price_minor: number;
  currency: string;
  tax_rate_bp: number;
};

export function useCreateProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: ProductInput) => unwrap(await api.POST('/api/v1/products', { body: { ...input, unit: input.unit ?? undefined } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: productsKey }),
  });
}

/** Changes, archives or restores a product with the version the list read. */
export function useUpdateProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ product, change }: { product: Product; change: Partial<ProductInput> & { active?: boolean } }) =>
      unwrap(await api.PATCH('/api/v1/products/{id}', { params: { path: { id: product.id }, header: ifMatch(product.version) }, body: change })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: productsKey }),
  });
}

export function useDeleteProduct() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (product: Product) =>
      unwrap(await api.DELETE('/api/v1/products/{id}', { params: { path: { id: product.id }, header: ifMatch(product.version) } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: productsKey }),
  });
}

/** Downloads the whole catalogue as CSV, in the columns the import reads. */
export function useExportProducts() {
  return useMutation({
    mutationFn: async () => {
      const file = unwrap(await api.GET('/api/v1/products/export', { parseAs: 'blob' }));
      saveFile(file, 'products.csv');
    },
  });
}

/** What an import changed: the catalogue is read again. */
export function useRefreshAfterProductImport() {
  const queryClient = useQueryClient();
  return () => void queryClient.invalidateQueries({ queryKey: ['products'] });
}
