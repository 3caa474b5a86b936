# cmake/install.cmake - `cmake --install`: headers, static libraries, the CMake
# package (find_package(kgss CONFIG) -> kgss::kgss, kgss::user, kgss::openssl)
# and pkg-config files (kgss.pc, kgss-user.pc, kgss-openssl.pc).
#
# Layout under the prefix:
#   include/kgss/{kgss.h,kgss_crypto.h,kgss_prng.h,kgss_user.h}
#                                                     consumers: #include <kgss.h>
#                                                     (include dir = include/kgss)
#   lib/libkgss.a, libkgss_user.a, libkgss_openssl.a
#   lib/cmake/kgss/kgssConfig.cmake, kgssConfigVersion.cmake, kgss*Targets.cmake
#   lib/pkgconfig/kgss.pc, kgss-user.pc, kgss-openssl.pc
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KGSS_INSTALL_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR}/kgss)
set(KGSS_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/kgss)

install(FILES
  ${PROJECT_SOURCE_DIR}/gss-kernel-lib/include/kgss.h
  ${PROJECT_SOURCE_DIR}/gss-kernel-lib/include/kgss_crypto.h
  ${PROJECT_SOURCE_DIR}/gss-kernel-lib/include/kgss_prng.h
  ${PROJECT_SOURCE_DIR}/gss-kernel-lib/include/kgss_user.h
  DESTINATION ${KGSS_INSTALL_INCLUDEDIR} COMPONENT dev)

# Exported names: kgss::kgss, kgss::user (as the in-tree ALIAS targets).
set_target_properties(kgss PROPERTIES EXPORT_NAME kgss)
set_target_properties(kgss_user PROPERTIES EXPORT_NAME user)
install(TARGETS kgss kgss_user EXPORT kgssTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
install(EXPORT kgssTargets NAMESPACE kgss:: FILE kgssTargets.cmake
        DESTINATION ${KGSS_INSTALL_CMAKEDIR} COMPONENT dev)

# kgss::openssl in an export set of its own: the package config loads it only
# after find_dependency(OpenSSL) succeeded.
set(KGSS_PC_HAVE_OPENSSL 0)
if(TARGET kgss_openssl)
  set(KGSS_PC_HAVE_OPENSSL 1)
  set_target_properties(kgss_openssl PROPERTIES EXPORT_NAME openssl)
  install(TARGETS kgss_openssl EXPORT kgssOpenSSLTargets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
  install(EXPORT kgssOpenSSLTargets NAMESPACE kgss:: FILE kgssOpenSSLTargets.cmake
          DESTINATION ${KGSS_INSTALL_CMAKEDIR} COMPONENT dev)
endif()

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/kgssConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/kgssConfig.cmake INSTALL_DESTINATION ${KGSS_INSTALL_CMAKEDIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/kgssConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/kgssConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/kgssConfigVersion.cmake
        DESTINATION ${KGSS_INSTALL_CMAKEDIR} COMPONENT dev)

# pkg-config.  Only static libraries are shipped, so every library a consumer
# must link is in Libs / Requires (not the *.private fields).  The enctype
# family switches are repeated in Cflags, as the CMake targets carry them.
set(KGSS_PC_DEFS "")
foreach(fam DES3 AES_SHA1 AES_SHA2 RC4 CAMELLIA)
  if(KGSS_WITH_${fam})
    string(APPEND KGSS_PC_DEFS " -DKGSS_WITH_${fam}=1")
  else()
    string(APPEND KGSS_PC_DEFS " -DKGSS_WITH_${fam}=0")
  endif()
endforeach()
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(KGSS_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  set(KGSS_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(KGSS_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(KGSS_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
set(KGSS_PC_FILES kgss kgss-user)
if(TARGET kgss_openssl)
  list(APPEND KGSS_PC_FILES kgss-openssl)
endif()
# The prefix is filled at install time (cmake --install --prefix P may differ
# from CMAKE_INSTALL_PREFIX): configure_file keeps the placeholder.
set(KGSS_PC_PREFIX "@KGSS_PC_PREFIX@")
foreach(pc ${KGSS_PC_FILES})
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${pc}.pc.in ${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/${pc}.pc.tmpl @ONLY)
  install(CODE "
    file(READ \"${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/${pc}.pc.tmpl\" _pc)
    string(REPLACE \"@KGSS_PC_PREFIX@\" \"\${CMAKE_INSTALL_PREFIX}\" _pc \"\${_pc}\")
    file(WRITE \"${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/${pc}.pc\" \"\${_pc}\")
  " COMPONENT dev)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/pkgconfig/${pc}.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
endforeach()
