# mpi.cmake — optional Open MPI for `deepq sweep` over ranks and `deepq train --distributed`.
# Included after the deepq_cli target. With MPI found, cli/mpi/*_mpi.c are compiled and the
# MPI tests registered; without it cli/mpi/nompi.c makes those paths say how to get MPI.
find_package(MPI COMPONENTS C QUIET)
if(MPI_C_FOUND)
  message(STATUS "deepq: MPI found (${MPI_C_LIBRARY_NAMES}): sweep over ranks and --distributed on")
  file(GLOB DQ_MPI_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/cli/mpi/*_mpi.c)
  target_sources(deepq_cli PRIVATE ${DQ_MPI_SOURCES})
  target_link_libraries(deepq_cli PRIVATE MPI::MPI_C)
  target_compile_definitions(deepq_cli PRIVATE DQ_HAVE_MPI=1)
  find_program(DQ_MPIEXEC NAMES mpirun mpiexec)
  if(DQ_MPIEXEC)
    file(GLOB DQ_MPI_TESTS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/mpi/*.sh)
    foreach(script ${DQ_MPI_TESTS})
      get_filename_component(name ${script} NAME_WE)
      add_test(NAME ${name} COMMAND bash ${script} $<TARGET_FILE:deepq_cli> ${DQ_MPIEXEC}
        WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
      set_tests_properties(${name} PROPERTIES LABELS "cli;mpi" TIMEOUT 900)
    endforeach()
  endif()
else()
  message(STATUS "deepq: MPI not found: deepq builds without it (apt-get install libopenmpi-dev for sweep over ranks and --distributed)")
  target_sources(deepq_cli PRIVATE ${CMAKE_SOURCE_DIR}/cli/mpi/nompi.c)
endif()
