# tools/bench/smoke.cmake - CTest "bench_smoke": kgss-bench --quick --no-mit --json OUT,
# then check_json.py OUT.  Fails on a nonzero exit of either; never on timings.
execute_process(COMMAND ${BENCH} --quick --no-mit --no-threads --sizes 128,5000 --reps 1 --ms 0.5 --json ${OUT}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "kgss-bench exited with ${rc}: ${err}")
endif()
execute_process(COMMAND ${PYTHON} ${CHECK} ${OUT} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "check_json.py failed")
endif()
