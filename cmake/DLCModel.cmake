#===- cmake/DLCModel.cmake - compile .dl models in a CMake project ---------===#
#
#   dlc_add_model(<target> <file.dl> [MODEL <name>] [MCPU <cpu>]
#                 [TRIPLE <triple>] [IMPORT_DIRS <dir>...] [DEPENDS <file>...])
#
# Runs `dlc compile <file.dl>` at build time and makes <target>, a static
# library holding the model's object. Linking <target> puts the directory of
# the generated header (<stem>.h, <stem> being the .dl file's name) on the
# include path. Target properties: DLC_MODEL_NAME (the C prefix, from the
# file's `model NAME`, or MODEL), DLC_MODEL_HEADER (the header's path).
#
#   dlc_add_trainer(<executable> <model-target>)
#
# Makes <executable>, the trainer command line (train / eval / predict) of a
# model added with dlc_add_model, from dlrt's templates/trainer_main.cpp.in.
#
# Works in dlc's own build (the `dlc` and `dlrt` targets) and after
# find_package(dlc) (the imported `dlc::dlc` and `dlc::dlrt`).
#
#===------------------------------------------------------------------------===#
include_guard(GLOBAL)

function(_dlc_compiler out_exe out_dep)
  if(TARGET dlc)
    set(${out_exe} "$<TARGET_FILE:dlc>" PARENT_SCOPE)
    set(${out_dep} dlc PARENT_SCOPE)
  elseif(TARGET dlc::dlc)
    set(${out_exe} "$<TARGET_FILE:dlc::dlc>" PARENT_SCOPE)
    set(${out_dep} dlc::dlc PARENT_SCOPE)
  else()
    find_program(DLC_EXECUTABLE dlc REQUIRED)
    set(${out_exe} "${DLC_EXECUTABLE}" PARENT_SCOPE)
    set(${out_dep} "${DLC_EXECUTABLE}" PARENT_SCOPE)
  endif()
endfunction()

function(dlc_add_model target file)
  cmake_parse_arguments(ARG "" "MODEL;MCPU;TRIPLE" "IMPORT_DIRS;DEPENDS" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "dlc_add_model: unexpected arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  get_filename_component(src "${file}" ABSOLUTE)
  if(NOT EXISTS "${src}")
    message(FATAL_ERROR "dlc_add_model: ${src} does not exist")
  endif()
  get_filename_component(stem "${src}" NAME_WE)

  set(name "${ARG_MODEL}")
  if(NOT name)
    file(STRINGS "${src}" decls REGEX "^[ \t]*model[ \t]+[A-Za-z_][A-Za-z0-9_]*")
    list(LENGTH decls n)
    if(NOT n EQUAL 1)
      message(FATAL_ERROR "dlc_add_model: ${src} declares ${n} models; "
                          "name one with MODEL <name>")
    endif()
    string(REGEX REPLACE "^[ \t]*model[ \t]+([A-Za-z_][A-Za-z0-9_]*).*" "\\1"
           name "${decls}")
  endif()

  set(outdir "${CMAKE_CURRENT_BINARY_DIR}/${target}")
  set(obj "${outdir}/${stem}.o")
  set(hdr "${outdir}/${stem}.h")
  set(opts)
  if(ARG_MODEL)
    list(APPEND opts "--model=${ARG_MODEL}")
  endif()
  if(ARG_MCPU)
    list(APPEND opts "--mcpu=${ARG_MCPU}")
  endif()
  if(ARG_TRIPLE)
    list(APPEND opts "--target=${ARG_TRIPLE}")
  endif()
  foreach(dir IN LISTS ARG_IMPORT_DIRS)
    get_filename_component(dir "${dir}" ABSOLUTE)
    list(APPEND opts "-I${dir}")
  endforeach()
  # Imports resolve to the standard library: rebuild when it changes.
  set(deps "${src}" ${ARG_DEPENDS})
  if(DLC_STDLIB_DIR)
    file(GLOB stdlib CONFIGURE_DEPENDS "${DLC_STDLIB_DIR}/*.dl")
    list(APPEND deps ${stdlib})
  endif()
  _dlc_compiler(dlc_exe dlc_dep)

  file(MAKE_DIRECTORY "${outdir}")
  add_custom_command(
    OUTPUT "${obj}" "${hdr}"
    COMMAND "${dlc_exe}" compile "${src}" -o "${obj}" ${opts}
    DEPENDS ${deps} ${dlc_dep}
    COMMENT "dlc compile ${file} (model ${name})"
    VERBATIM)
  set_source_files_properties("${obj}" PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  add_library(${target} STATIC "${obj}" "${hdr}")
  set_target_properties(${target} PROPERTIES
    LINKER_LANGUAGE C
    DLC_MODEL_NAME "${name}"
    DLC_MODEL_HEADER "${hdr}")
  target_include_directories(${target} PUBLIC "${outdir}")
  target_link_libraries(${target} PUBLIC m) # generated code may call libm
endfunction()

function(dlc_add_trainer exe model)
  if(NOT TARGET ${model})
    message(FATAL_ERROR "dlc_add_trainer: ${model} is not a target")
  endif()
  get_target_property(DLC_MODEL_NAME ${model} DLC_MODEL_NAME)
  get_target_property(DLC_MODEL_HEADER ${model} DLC_MODEL_HEADER)
  if(NOT DLC_MODEL_NAME)
    message(FATAL_ERROR "dlc_add_trainer: ${model} was not made by dlc_add_model")
  endif()
  string(TOUPPER "${DLC_MODEL_NAME}" DLC_MODEL_UPPER)
  if(NOT DLC_TRAINER_TEMPLATE OR NOT EXISTS "${DLC_TRAINER_TEMPLATE}")
    message(FATAL_ERROR "dlc_add_trainer: the trainer template was not found "
                        "(DLC_TRAINER_TEMPLATE='${DLC_TRAINER_TEMPLATE}')")
  endif()
  set(glue "${CMAKE_CURRENT_BINARY_DIR}/${exe}_main.cpp")
  configure_file("${DLC_TRAINER_TEMPLATE}" "${glue}" @ONLY)
  set_source_files_properties("${glue}" PROPERTIES OBJECT_DEPENDS "${DLC_MODEL_HEADER}")
  add_executable(${exe} "${glue}")
  if(TARGET dlrt)
    set(rt dlrt)
  else()
    set(rt dlc::dlrt)
  endif()
  target_link_libraries(${exe} PRIVATE ${model} ${rt})
  add_dependencies(${exe} ${model})
endfunction()
