// The Admin grid's pager: page size, previous/next and "page N of M".
export const PAGE_SIZES = [20, 30, 50, 100, 200];

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
      <select
        className="admin__control-text"
        aria-label="Per page"
        value={pageSize}
        onChange={(e) => onPageSize(Number(e.target.value))}
      >
        {PAGE_SIZES.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <span className="pager-label">per page</span>
      <button type="button" className="action-previous" aria-label="Previous page" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ‹
      </button>
      <span className="pager-pages">
        <strong>{page}</strong> of {pages}
      </span>
      <button type="button" className="action-next" aria-label="Next page" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        ›
      </button>
    </div>
  );
}
