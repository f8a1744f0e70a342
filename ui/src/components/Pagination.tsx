// The Admin grid's pager: page size, previous/next and "page N of M".
import { Button } from "./Button";
import { Select } from "./Select";

export const PAGE_SIZES = [20, 30, 50, 100, 200] as const;

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

export function Pagination({
  total,
  page,
  pageSize,
  onPage,
  onPageSize,
}: {
  total: number;
  page: number;
  pageSize: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
}) {
  const pages = pageCount(total, pageSize);
  return (
    <div className="admin__data-grid-pager" data-testid="pager">
      <Select
        label="Per page"
        labelHidden
        layout="inline"
        name="page_size"
        options={PAGE_SIZES.map((n) => ({ value: n, label: String(n) }))}
        value={pageSize}
        onChange={onPageSize}
      />
      <span className="pager-label">per page</span>
      <Button
        className="pager-button"
        aria-label="Previous page"
        isDisabled={page <= 1}
        onPress={() => onPage(page - 1)}
      >
        ‹
      </Button>
      <span className="pager-pages">
        <strong>{page}</strong> of {pages}
      </span>
      <Button
        className="pager-button"
        aria-label="Next page"
        isDisabled={page >= pages}
        onPress={() => onPage(page + 1)}
      >
        ›
      </Button>
    </div>
  );
}
