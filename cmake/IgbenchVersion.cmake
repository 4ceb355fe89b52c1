# Build-time version stamp: src/version.cpp is regenerated on every build from
# `git describe`, but only rewritten when the commit (or dirty state) changed.
set(IGBENCH_VERSION_CPP "${CMAKE_BINARY_DIR}/generated/version.cpp")
add_custom_target(igbench_version_stamp ALL
  COMMAND ${CMAKE_COMMAND}
    -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
    -DOUTPUT=${IGBENCH_VERSION_CPP}
    -DVERSION=${PROJECT_VERSION}
    -P ${CMAKE_SOURCE_DIR}/cmake/WriteVersion.cmake
  BYPRODUCTS ${IGBENCH_VERSION_CPP}
  COMMENT "Stamping igbench version"
  VERBATIM)
