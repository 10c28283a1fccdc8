-- pg_trgm declares its similarity operators as cheap as an equality test, so
-- on a mid-sized catalog the planner prefers evaluating word similarity on
-- every row (hundreds of ms at 10k courses) to the GIN indexes (a few ms).
-- Their real cost is about a thousand times that. Where the role may not
-- alter the extension's functions, the migration still succeeds.
DO $$
BEGIN
  ALTER FUNCTION word_similarity_op(text, text) COST 1000;
  ALTER FUNCTION word_similarity_commutator_op(text, text) COST 1000;
  ALTER FUNCTION similarity_op(text, text) COST 1000;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'pg_trgm operator costs left unchanged: %', SQLERRM;
END
$$;
