-- Issue 12: the queue's count and first page for one service, special category rows
-- left out for most readers. With only (service, created_at) and (service, status,
-- created_at), counting a service's requests read every row to check
-- special_category: about 70 ms per inbox page with 100,000 requests (bench
-- queue_dashboard), against about 5 ms from this covering index. Status stays before
-- created_at so the status filters keep an index seek.
CREATE INDEX requests_queue ON requests (service, special_category, status, created_at);
